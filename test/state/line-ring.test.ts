import { describe, expect, it } from 'vitest';
import { LineRing } from '../../state/line-ring.js';

describe('LineRing: bounded memory, true line numbers', () => {
  it('keeps the newest lines up to its capacity, numbering every line ever received', () => {
    const r = new LineRing(3);
    for (let i = 0; i < 10; i++) r.push(`line ${i}`, i);
    expect(r.size).toBe(3);
    expect(r.total).toBe(10);
    expect([r.first, r.last]).toEqual([7, 9]);
    expect(r.range(0, 100).map((l) => l.text)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(r.at(6)).toBeUndefined();
    expect(r.at(8)).toMatchObject({ n: 8, text: 'line 8', ts: 8 });
  });

  it('takes a flood in one go: stores only what it can keep, counts the rest, prepares only what it keeps', () => {
    const r = new LineRing(5000);
    const texts = Array.from({ length: 100_000 }, (_, i) => `l${i}`);
    let prepared = 0;
    r.pushMany(texts, 1, 0, (t) => (prepared++, t.toUpperCase()));
    expect(r.size).toBe(5000);
    expect(r.total).toBe(100_000);
    expect(prepared).toBe(5000);
    expect(r.at(r.last)!.text).toBe('L99999');
    expect(r.at(r.first)!.text).toBe('L95000');
  });

  it('lines dropped before reaching it keep the numbering whole', () => {
    const r = new LineRing(4);
    r.pushMany(['a', 'b'], 1);
    r.pushMany(['c', 'd', 'e', 'f'], 2, 10);
    expect(r.total).toBe(16);
    expect(r.range(r.first, r.last).map((l) => `${l.n}:${l.text}`)).toEqual(['12:c', '13:d', '14:e', '15:f']);
  });

  it('stays bounded over a long stream', () => {
    const r = new LineRing(5000);
    for (let batch = 0; batch < 200; batch++) r.pushMany(Array.from({ length: 3333 }, (_, i) => `b${batch}-${i}`), batch);
    expect(r.size).toBe(5000);
    expect(r.total).toBe(200 * 3333);
    expect(r.at(r.last)!.text).toBe('b199-3332');
  });
});
