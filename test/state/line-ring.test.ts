import { describe, expect, it } from 'vitest';
import { LineRing, MAX_KEPT_LINE_BYTES } from '../../state/line-ring.js';

const texts = (r: LineRing) => r.range(r.first, r.last).map((l) => l.text);

describe('LineRing: bounded memory, true line numbers', () => {
  it('keeps the newest lines up to its capacity, numbering every line ever received', () => {
    const r = new LineRing(3);
    for (let i = 0; i < 10; i++) r.push(`line ${i}`, i);
    expect(r.size).toBe(3);
    expect(r.total).toBe(10);
    expect([r.first, r.last]).toEqual([7, 9]);
    expect(texts(r)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(r.at(6)).toBeUndefined();
    expect(r.at(8)).toEqual({ n: 8, text: 'line 8', ts: 8 });
  });

  it('takes a flood in one go: stores only what it can keep, counts the rest', () => {
    const r = new LineRing(5000);
    r.pushMany(Array.from({ length: 100_000 }, (_, i) => `l${i}`), 1);
    expect(r.size).toBe(5000);
    expect(r.total).toBe(100_000);
    expect(r.textAt(r.last)).toBe('l99999');
    expect(r.textAt(r.first)).toBe('l95000');
  });

  it('lines dropped before reaching it keep the numbering whole', () => {
    const r = new LineRing(4);
    r.pushMany(['a', 'b'], 1);
    r.pushMany(['c', 'd', 'e', 'f'], 2, 10);
    expect(r.total).toBe(16);
    expect(r.range(r.first, r.last).map((l) => `${l.n}:${l.text}`)).toEqual(['12:c', '13:d', '14:e', '15:f']);
  });

  it('prepares (sanitizes) lines only when they are read', () => {
    let prepared = 0;
    const r = new LineRing(100, (t) => (prepared++, t.toUpperCase()));
    for (let i = 0; i < 10_000; i++) r.push(`x${i}`, 0);
    expect(prepared).toBe(0);
    expect(r.textAt(9999)).toBe('X9999');
    expect(r.textAt(9999)).toBe('X9999');
    expect(prepared).toBe(1);
  });

  it('is bounded by bytes as well as lines, and cuts very long lines', () => {
    const r = new LineRing(1000, undefined, 64 << 10);
    const long = 'y'.repeat(MAX_KEPT_LINE_BYTES + 100);
    r.push(long, 0);
    expect(r.textAt(0)).toBe(`${'y'.repeat(MAX_KEPT_LINE_BYTES)} … (100 more bytes in the log file)`);
    for (let i = 0; i < 1000; i++) r.push(`${i}:${'z'.repeat(1000)}`, 0);
    expect(r.size).toBeLessThan(70);
    expect(r.textAt(r.last)).toBe(`999:${'z'.repeat(1000)}`);
    expect(r.textAt(r.first)!.startsWith(`${r.first - 1}:`)).toBe(true);
  });

  it('keeps exactly what a naive list would, through growth and wrap-around (model check)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const cap = 50;
    const r = new LineRing(cap, undefined, 16 << 10);
    const model: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = `${i}|${'é'.repeat(rand(300))}`;
      r.push(text, i);
      model.push(text);
      const held = texts(r);
      expect(held.length).toBeLessThanOrEqual(cap);
      expect(held).toEqual(model.slice(model.length - held.length));
      if (i % 1000 === 0) expect(held.length).toBeGreaterThan(0);
    }
    expect(r.total).toBe(20_000);
  });

  it('takes bytes straight from a read buffer', () => {
    const r = new LineRing(10);
    const data = Buffer.from('first\nsecond ✓\n');
    r.pushBytes(data, 0, 5, 1);
    r.pushBytes(data, 6, data.length - 1, 2);
    expect(texts(r)).toEqual(['first', 'second ✓']);
  });
});
