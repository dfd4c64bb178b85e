import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** A line longer than this is handed on in pieces, so one endless line cannot grow memory without bound. */
const MAX_LINE_BYTES = 1 << 20;

/**
 * Follows a file another process appends to, `tail -F` style: each poll returns the complete lines
 * added since the last one (a partial last line waits for its newline). A file that shrinks was
 * truncated or replaced and is read again from its start.
 *
 * Lines are cut at newline bytes and each is decoded on its own (a newline byte never occurs inside a
 * UTF-8 sequence), so every line is a small string of its own: a log flood does not keep large decoded
 * chunks alive through the lines the console still holds.
 */
export class FileTail {
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);
  private readonly chunk = Buffer.allocUnsafe(1 << 20);

  constructor(readonly path: string) {}

  /** The complete lines appended since the last poll, reading at most `maxBytes`. */
  poll(maxBytes = 16 << 20): string[] {
    const size = sizeOf(this.path);
    if (size < this.offset) {
      this.offset = 0;
      this.carry = Buffer.alloc(0);
    }
    const lines: string[] = [];
    if (size <= this.offset) return lines;
    const fd = openSync(this.path, 'r');
    try {
      let budget = Math.min(maxBytes, size - this.offset);
      while (budget > 0) {
        const n = readSync(fd, this.chunk, 0, Math.min(this.chunk.length, budget), this.offset);
        if (n <= 0) break;
        this.offset += n;
        budget -= n;
        this.split(this.chunk.subarray(0, n), lines);
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  }

  private split(data: Buffer, out: string[]): void {
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
      if (this.carry.length) {
        out.push(Buffer.concat([this.carry, data.subarray(start, nl)]).toString('utf8'));
        this.carry = Buffer.alloc(0);
      } else out.push(data.toString('utf8', start, nl));
      start = nl + 1;
    }
    if (start < data.length) this.carry = Buffer.concat([this.carry, data.subarray(start)]);
    while (this.carry.length >= MAX_LINE_BYTES) {
      out.push(this.carry.subarray(0, MAX_LINE_BYTES).toString('utf8'));
      this.carry = Buffer.from(this.carry.subarray(MAX_LINE_BYTES));
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
