import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** A line longer than this is handed on in pieces, so one endless line cannot grow memory without bound. */
const MAX_LINE_BYTES = 1 << 20;

/**
 * Follows a file another process appends to, `tail -F` style: each poll returns the complete lines
 * added since the last one (a partial last line waits for its newline). A file that shrinks was
 * truncated or replaced and is read again from its start.
 *
 * Lines are cut at newline bytes (which never occur inside a UTF-8 sequence) and handed on as bytes:
 * a log flood costs no string per line unless the reader decodes it.
 */
export class FileTail {
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);
  private readonly chunk = Buffer.allocUnsafe(1 << 20);

  constructor(readonly path: string) {}

  /**
   * Hands each complete line appended since the last poll to `onLine` as `data[start, end)` (valid only
   * during the call), reading at most `maxBytes`. Returns the number of lines.
   */
  poll(onLine: (data: Buffer, start: number, end: number) => void, maxBytes = 16 << 20): number {
    const size = sizeOf(this.path);
    if (size < this.offset) {
      this.offset = 0;
      this.carry = Buffer.alloc(0);
    }
    if (size <= this.offset) return 0;
    let lines = 0;
    const fd = openSync(this.path, 'r');
    try {
      let budget = Math.min(maxBytes, size - this.offset);
      while (budget > 0) {
        const n = readSync(fd, this.chunk, 0, Math.min(this.chunk.length, budget), this.offset);
        if (n <= 0) break;
        this.offset += n;
        budget -= n;
        lines += this.split(this.chunk.subarray(0, n), onLine);
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  }

  /** The complete lines appended since the last poll, as text. */
  pollText(): string[] {
    const out: string[] = [];
    this.poll((data, start, end) => out.push(data.toString('utf8', start, end)));
    return out;
  }

  private split(data: Buffer, onLine: (data: Buffer, start: number, end: number) => void): number {
    let lines = 0;
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
      if (this.carry.length) {
        const whole = Buffer.concat([this.carry, data.subarray(start, nl)]);
        this.carry = Buffer.alloc(0);
        onLine(whole, 0, whole.length);
      } else onLine(data, start, nl);
      lines++;
      start = nl + 1;
    }
    if (start < data.length) this.carry = Buffer.concat([this.carry, data.subarray(start)]);
    while (this.carry.length >= MAX_LINE_BYTES) {
      onLine(this.carry, 0, MAX_LINE_BYTES);
      lines++;
      this.carry = Buffer.from(this.carry.subarray(MAX_LINE_BYTES));
    }
    return lines;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
