import { StringDecoder } from 'node:string_decoder';

/** Longer lines are handed on in pieces of this size, so one endless line cannot grow memory without bound. */
const MAX_LINE_CHARS = 1 << 20;

/**
 * Turns a byte stream into lines (without their `\n`; a trailing `\r` is kept, as the command wrote it).
 * UTF-8 sequences split across chunks are decoded whole.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  /** Hands on the last line when the stream did not end with a newline. */
  end(): void {
    this.take(this.decoder.end());
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }

  private take(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl !== -1) {
      this.onLine(this.pending + text.slice(0, nl));
      this.pending = '';
      start = nl + 1;
      while ((nl = text.indexOf('\n', start)) !== -1) {
        this.onLine(text.slice(start, nl));
        start = nl + 1;
      }
    }
    this.pending += text.slice(start);
    while (this.pending.length >= MAX_LINE_CHARS) {
      this.onLine(this.pending.slice(0, MAX_LINE_CHARS));
      this.pending = this.pending.slice(MAX_LINE_CHARS);
    }
  }
}

/** Keeps at most `limit` bytes of a stream (the first ones) and remembers whether more arrived. */
export class BoundedCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** Where one output stream goes: line by line to a callback, or else into a bounded capture. */
export interface OutputSink {
  push(chunk: Buffer): void;
  end(): void;
  bytes(): Buffer;
  truncated(): boolean;
}

export function outputSink(onLine: ((line: string) => void) | undefined, limit: number): OutputSink {
  if (onLine) {
    const lines = new LineSplitter(onLine);
    return { push: (b) => lines.push(b), end: () => lines.end(), bytes: () => Buffer.alloc(0), truncated: () => false };
  }
  const capture = new BoundedCapture(limit);
  return { push: (b) => capture.push(b), end: () => {}, bytes: () => capture.bytes(), truncated: () => capture.truncated };
}
