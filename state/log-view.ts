import type { LineRing } from './line-ring.js';
import { stripColour } from './sanitize.js';

/** One row of a log pane: a whole line, or one piece of a wrapped line. */
export interface ViewRow {
  n: number;
  text: string;
  /** A continuation of the line above (wrapped). */
  cont: boolean;
}

export interface ViewWindow {
  rows: ViewRow[];
  /** Number of the line at the bottom of the pane, or -1 when the log is empty. */
  bottom: number;
}

/**
 * The rows a log pane of `height` × `width` shows, ending at line `bottom` (null: the newest line).
 * With wrap on, long lines take several rows; off, the pane truncates them.
 */
export function logWindow(ring: LineRing, opts: { height: number; width: number; wrap: boolean; bottom: number | null }): ViewWindow {
  const bottom = clampLine(ring, opts.bottom ?? ring.last);
  const rows: ViewRow[] = [];
  if (bottom < 0 || opts.height <= 0) return { rows, bottom };
  for (let n = bottom; n >= ring.first && rows.length < opts.height; n--) {
    const text = ring.textAt(n)!;
    const pieces = opts.wrap ? wrapSegments(text, opts.width) : [text];
    for (let i = pieces.length - 1; i >= 0 && rows.length < opts.height; i--) rows.push({ n, text: pieces[i]!, cont: i > 0 });
  }
  return { rows: rows.reverse(), bottom };
}

/** Keeps a line number inside what the ring holds. */
export function clampLine(ring: LineRing, n: number): number {
  if (ring.last < 0) return -1;
  return Math.min(ring.last, Math.max(ring.first, n));
}

const SGR_AT = /\x1b\[([\d;:]*)m/y;

/** Cuts a line into pieces of at most `width` columns; colours carry over into the following pieces. */
export function wrapSegments(text: string, width: number): string[] {
  if (width <= 0) return [text];
  if (!text.includes('\x1b') && text.length <= width && !HAS_WIDE.test(text)) return [text];
  const out: string[] = [];
  let piece = '';
  let cols = 0;
  let active = '';
  let styled = false;
  for (let i = 0; i < text.length; ) {
    SGR_AT.lastIndex = i;
    const sgr = SGR_AT.exec(text);
    if (sgr) {
      piece += sgr[0];
      styled = true;
      active = sgr[1] === '' || sgr[1] === '0' ? '' : active + sgr[0];
      i += sgr[0].length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const w = charWidth(cp);
    if (cols + w > width && cols > 0) {
      out.push(styled ? piece + '\x1b[0m' : piece);
      piece = active;
      styled = active !== '';
      cols = 0;
    }
    piece += ch;
    cols += w;
    i += ch.length;
  }
  out.push(piece);
  return out;
}

const HAS_WIDE = /[\u1100-\uffff]|[\ud800-\udfff]/;

/** Terminal columns of a code point: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
export function charWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Smart case: a query with a capital letter matches case-sensitively, otherwise not. */
export function lineMatches(text: string, query: string): boolean {
  if (!query) return false;
  const plain = stripColour(text);
  return query !== query.toLowerCase() ? plain.includes(query) : plain.toLowerCase().includes(query);
}

/** The nearest matching line from `from` (inclusive) going up (-1, older) or down (+1, newer). */
export function findMatch(ring: LineRing, query: string, from: number, direction: -1 | 1): number | undefined {
  for (let n = from; n >= ring.first && n <= ring.last; n += direction) {
    if (lineMatches(ring.textAt(n)!, query)) return n;
  }
  return undefined;
}

/** A line cut around its matches, for highlighting (colours dropped on matching lines). */
export function highlightMatches(text: string, query: string): { text: string; hit: boolean }[] {
  const plain = stripColour(text);
  if (!query) return [{ text: plain, hit: false }];
  const hay = query !== query.toLowerCase() ? plain : plain.toLowerCase();
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (let i = hay.indexOf(query); i !== -1; i = hay.indexOf(query, at)) {
    if (i > at) out.push({ text: plain.slice(at, i), hit: false });
    out.push({ text: plain.slice(i, i + query.length), hit: true });
    at = i + query.length;
  }
  if (at < plain.length) out.push({ text: plain.slice(at), hit: false });
  return out;
}

/** `HH:MM:SS.mmm` of a line's arrival, local time. */
export function clockTime(ts: number): string {
  const d = new Date(ts);
  const p = (v: number, w = 2) => String(v).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
