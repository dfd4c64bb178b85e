import { describe, expect, it } from 'vitest';
import { LineRing } from '../../state/line-ring.js';
import { findMatch, highlightMatches, logWindow, wrapSegments } from '../../state/log-view.js';

function ring(texts: string[]) {
  const r = new LineRing(100);
  r.pushMany(texts, 0);
  return r;
}

describe('log view geometry', () => {
  it('shows the newest lines at the bottom, or those ending where the view is paused', () => {
    const r = ring(['a', 'b', 'c', 'd', 'e']);
    expect(logWindow(r, { height: 3, width: 10, wrap: false, bottom: null }).rows.map((x) => x.text)).toEqual(['c', 'd', 'e']);
    expect(logWindow(r, { height: 3, width: 10, wrap: false, bottom: 2 }).rows.map((x) => x.text)).toEqual(['a', 'b', 'c']);
    expect(logWindow(new LineRing(), { height: 3, width: 10, wrap: false, bottom: null })).toEqual({ rows: [], bottom: -1 });
  });

  it('wraps long lines into rows when asked, the newest row at the bottom', () => {
    const r = ring(['short', 'abcdefghij']);
    const w = logWindow(r, { height: 3, width: 4, wrap: true, bottom: null });
    expect(w.rows.map((x) => [x.text, x.cont])).toEqual([
      ['abcd', false],
      ['efgh', true],
      ['ij', true],
    ]);
  });

  it('carries colours into the pieces of a wrapped line and closes each piece', () => {
    expect(wrapSegments('\x1b[31mabcdef\x1b[0mgh', 4)).toEqual(['\x1b[31mabcd\x1b[0m', '\x1b[31mef\x1b[0mgh']);
    expect(wrapSegments('日本語です', 4)).toEqual(['日本', '語で', 'す']);
  });

  it('finds matches up or down from a line; smart case; highlights them', () => {
    const r = ring(['Error A', 'ok', 'error b']);
    expect(findMatch(r, 'error', 2, -1)).toBe(2);
    expect(findMatch(r, 'error', 1, -1)).toBe(0);
    expect(findMatch(r, 'Error', 2, -1)).toBe(0);
    expect(findMatch(r, 'error', -1, -1)).toBeUndefined();
    expect(highlightMatches('\x1b[31mone error, two ERROR\x1b[0m', 'error')).toEqual([
      { text: 'one ', hit: false },
      { text: 'error', hit: true },
      { text: ', two ', hit: false },
      { text: 'ERROR', hit: true },
    ]);
  });
});
