import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { LineSplitter } from '../../exec/lines.js';

/**
 * Follows a file another process appends to, `tail -F` style: each poll returns the complete lines
 * added since the last one (a partial last line waits for its newline). A file that shrinks was
 * truncated or replaced and is read again from its start.
 */
export class FileTail {
  private offset = 0;
  private splitter!: LineSplitter;
  private lines: string[] = [];

  constructor(readonly path: string) {
    this.reset();
  }

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }

  /** The complete lines appended since the last poll, reading at most `maxBytes`. */
  poll(maxBytes = 16 << 20): string[] {
    const size = sizeOf(this.path);
    if (size < this.offset) this.reset();
    if (size <= this.offset) return this.take();
    const fd = openSync(this.path, 'r');
    try {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes));
      let budget = Math.min(maxBytes, size - this.offset);
      while (budget > 0) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, budget), this.offset);
        if (n <= 0) break;
        this.offset += n;
        budget -= n;
        this.splitter.push(chunk.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    return this.take();
  }

  private take(): string[] {
    const out = this.lines;
    this.lines = [];
    return out;
  }

  private reset(): void {
    this.offset = 0;
    this.splitter = new LineSplitter((line) => this.lines.push(line));
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
