/** One line of a log as the console keeps it: its number since the log began, when it arrived, its safe text. */
export interface LogLine {
  n: number;
  ts: number;
  text: string;
}

export const DEFAULT_RING_CAPACITY = 5000;

/**
 * The newest `capacity` lines of one log. Memory stays bounded however long the log runs; the full log
 * lives on disk. Line numbers are absolute (0-based since the log began), so a paused view and marks
 * stay put while older lines fall out. Texts and arrival times are kept in flat arrays (no object per
 * line: a flood of lines should cost the garbage collector as little as possible).
 */
export class LineRing {
  private readonly texts: string[];
  private readonly times: Float64Array;
  private count = 0;
  /** Lines ever received, kept or not. */
  total = 0;

  constructor(readonly capacity = DEFAULT_RING_CAPACITY) {
    this.texts = new Array<string>(capacity);
    this.times = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Number of the oldest line still held (equals `total` when empty). */
  get first(): number {
    return this.total - this.count;
  }

  /** Number of the newest line, or -1 when nothing arrived yet. */
  get last(): number {
    return this.total - 1;
  }

  push(text: string, ts: number): void {
    const slot = this.total % this.capacity;
    this.texts[slot] = text;
    this.times[slot] = ts;
    this.total++;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * Appends lines that arrived together, after `dropped` earlier ones that were never handed over.
   * Only the newest `capacity` are stored (and prepared); the rest are counted, so numbering stays true.
   */
  pushMany(texts: readonly string[], ts: number, dropped = 0, prepare: (raw: string) => string = (t) => t): void {
    const keepFrom = Math.max(0, texts.length - this.capacity);
    const unseen = dropped + keepFrom;
    if (unseen > 0) {
      // What is held is older than the unseen lines: keeping it would leave a hole in the numbering.
      this.total += unseen;
      this.count = 0;
    }
    for (let i = keepFrom; i < texts.length; i++) this.push(prepare(texts[i]!), ts);
  }

  textAt(n: number): string | undefined {
    return n < this.first || n > this.last ? undefined : this.texts[n % this.capacity];
  }

  at(n: number): LogLine | undefined {
    if (n < this.first || n > this.last) return undefined;
    const slot = n % this.capacity;
    return { n, ts: this.times[slot]!, text: this.texts[slot]! };
  }

  /** Lines numbered `from` through `to`, both inclusive, clamped to what is held. */
  range(from: number, to: number): LogLine[] {
    const out: LogLine[] = [];
    for (let n = Math.max(from, this.first); n <= Math.min(to, this.last); n++) out.push(this.at(n)!);
    return out;
  }
}
