import { appendFileSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTail } from '../../src/cli/console/file-tail.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'gantry-tail-')), 'x.log');

describe('FileTail: following a file another process appends to', () => {
  it('returns complete lines only; a partial line waits for its newline', () => {
    const f = file();
    const t = new FileTail(f);
    expect(t.pollText()).toEqual([]);
    writeFileSync(f, 'one\ntw');
    expect(t.pollText()).toEqual(['one']);
    appendFileSync(f, 'o\nthree\n');
    expect(t.pollText()).toEqual(['two', 'three']);
    expect(t.pollText()).toEqual([]);
  });

  it('keeps UTF-8 characters whole when a write splits them', () => {
    const f = file();
    const t = new FileTail(f);
    const bytes = Buffer.from('naïve ✓\n');
    writeFileSync(f, bytes.subarray(0, 8));
    expect(t.pollText()).toEqual([]);
    appendFileSync(f, bytes.subarray(8));
    expect(t.pollText()).toEqual(['naïve ✓']);
  });

  it('starts over when the file is truncated', () => {
    const f = file();
    const t = new FileTail(f);
    writeFileSync(f, 'a\nb\n');
    expect(t.pollText()).toEqual(['a', 'b']);
    truncateSync(f, 0);
    appendFileSync(f, 'c\n');
    expect(t.pollText()).toEqual(['c']);
  });

  it('hands on an endless line in pieces and counts lines given as bytes', () => {
    const f = file();
    const t = new FileTail(f);
    writeFileSync(f, 'x'.repeat(3 << 20));
    const pieces: number[] = [];
    expect(t.poll((_d, s, e) => pieces.push(e - s))).toBe(3);
    expect(pieces).toEqual([1 << 20, 1 << 20, 1 << 20]);
  });
});
