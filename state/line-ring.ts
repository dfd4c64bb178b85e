/** One line of a log as the console shows it: its number since the log began, when it arrived, its safe text. */
export interface LogLine {
  n: number;
  ts: number;
  text: string;
}

export const DEFAULT_RING_CAPACITY = 5000;
/** Bytes a ring may hold at most; it starts small and grows to this. */
export const DEFAULT_RING_BYTES = 4 << 20;
/** Longer lines are kept cut (the whole line stays in the log file on disk). */
export const MAX_KEPT_LINE_BYTES = 8 << 10;

/**
 * The newest lines of one log, at most `capacity` of them and `maxBytes` of text. Memory stays bounded
 * however long the log runs; the full log lives on disk. Lines are kept as raw bytes in one buffer and
 * decoded (and made safe by `prepare`) only when shown or searched, so a flood of lines allocates no
 * object per line. Line numbers are absolute (0-based since the log began), so a paused view and marks
 * stay put while older lines fall out.
 */
export class LineRing {
  private buf: Buffer;
  private readonly starts: Float64Array;
  private readonly lens: Int32Array;
  /** Bytes the line had before it was cut. */
  private readonly fulls: Float64Array;
  private readonly times: Float64Array;
  private count = 0;
  private head = 0;
  private readonly cache = new Map<number, string>();
  /** Lines ever received, kept or not. */
  total = 0;

  constructor(
    readonly capacity = DEFAULT_RING_CAPACITY,
    private readonly prepare: (raw: string) => string = (t) => t,
    private readonly maxBytes = DEFAULT_RING_BYTES,
  ) {
    this.maxBytes = Math.max(maxBytes, MAX_KEPT_LINE_BYTES);
    this.buf = Buffer.allocUnsafe(Math.min(maxBytes, 64 << 10));
    this.starts = new Float64Array(capacity);
    this.lens = new Int32Array(capacity);
    this.fulls = new Float64Array(capacity);
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

  /** Appends the line held in `data[start, end)` (copied). */
  pushBytes(data: Buffer, start: number, end: number, ts: number): void {
    const full = end - start;
    const len = Math.min(full, MAX_KEPT_LINE_BYTES);
    if (this.count === this.capacity) this.evictOldest();
    this.makeRoom(len);
    data.copy(this.buf, this.head, start, start + len);
    const slot = this.total % this.capacity;
    this.starts[slot] = this.head;
    this.lens[slot] = len;
    this.fulls[slot] = full;
    this.times[slot] = ts;
    this.head += len;
    this.total++;
    this.count++;
  }

  push(text: string, ts: number): void {
    const bytes = Buffer.from(text, 'utf8');
    this.pushBytes(bytes, 0, bytes.length, ts);
  }

  /**
   * Appends lines that arrived together, after `dropped` earlier ones that were never handed over.
   * Only the newest `capacity` are stored; the rest are counted, so numbering stays true.
   */
  pushMany(texts: readonly string[], ts: number, dropped = 0): void {
    const keepFrom = Math.max(0, texts.length - this.capacity);
    this.skip(dropped + keepFrom);
    for (let i = keepFrom; i < texts.length; i++) this.push(texts[i]!, ts);
  }

  /** Counts lines that were never handed over. What is held is older than them and goes: numbering has no holes. */
  skip(count: number): void {
    if (count <= 0) return;
    this.total += count;
    this.count = 0;
    this.head = 0;
    this.cache.clear();
  }

  /** The line's text, decoded and prepared (sanitized); undefined when not held. */
  textAt(n: number): string | undefined {
    if (n < this.first || n > this.last) return undefined;
    let text = this.cache.get(n);
    if (text === undefined) {
      const slot = n % this.capacity;
      const start = this.starts[slot]!;
      const cut = this.fulls[slot]! - this.lens[slot]!;
      text = this.prepare(this.buf.toString('utf8', start, start + this.lens[slot]!)) + (cut > 0 ? ` … (${cut} more bytes in the log file)` : '');
      // The rows on screen are asked for on every frame; a few hundred cover any pane.
      if (this.cache.size >= 512) this.cache.clear();
      this.cache.set(n, text);
    }
    return text;
  }

  at(n: number): LogLine | undefined {
    const text = this.textAt(n);
    return text === undefined ? undefined : { n, ts: this.times[n % this.capacity]!, text };
  }

  /** Lines numbered `from` through `to`, both inclusive, clamped to what is held. */
  range(from: number, to: number): LogLine[] {
    const out: LogLine[] = [];
    for (let n = Math.max(from, this.first); n <= Math.min(to, this.last); n++) out.push(this.at(n)!);
    return out;
  }

  private evictOldest(): void {
    this.cache.delete(this.first);
    this.count--;
  }

  /** Frees `len` bytes at the write head: grows the buffer while it may, else wraps and evicts the oldest lines there. */
  private makeRoom(len: number): void {
    if (this.head + len > this.buf.length && this.buf.length < this.maxBytes) this.grow(this.head + len);
    if (this.head + len > this.buf.length) {
      // The tail of the buffer holds the oldest lines: they go first, then writing starts over at 0.
      const wrapAt = this.head;
      while (this.count > 0 && this.starts[this.first % this.capacity]! >= wrapAt) this.evictOldest();
      this.head = 0;
    }
    while (this.count > 0) {
      const slot = this.first % this.capacity;
      const s = this.starts[slot]!;
      if (s >= this.head + len || s + this.lens[slot]! <= this.head) break;
      this.evictOldest();
    }
  }

  /** Doubles the buffer (up to maxBytes), moving the held lines to its start in order. */
  private grow(need: number): void {
    let size = this.buf.length;
    while (size < need && size < this.maxBytes) size *= 2;
    const next = Buffer.allocUnsafe(Math.min(size, this.maxBytes));
    let at = 0;
    for (let n = this.first; n <= this.last; n++) {
      const slot = n % this.capacity;
      const s = this.starts[slot]!;
      const l = this.lens[slot]!;
      this.buf.copy(next, at, s, s + l);
      this.starts[slot] = at;
      at += l;
    }
    this.buf = next;
    this.head = at;
  }
}
