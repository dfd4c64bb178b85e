/**
 * Makes one line of remote output safe to draw inside the console. Colours (SGR: `CSI <digits;:> m`)
 * may pass; every other escape sequence — cursor moves, clears, private modes, OSC (titles,
 * hyperlinks, clipboard), DCS, SOS/PM/APC strings, bare ESC sequences — and every C0/C1 control
 * character is removed, so a hostile log cannot move the cursor, retitle the terminal or clear the
 * screen. A carriage return keeps what a terminal would show last (the text after it); tabs become
 * spaces to the next multiple of 8.
 */
export function sanitizeLine(raw: string, keepColour = true): string {
  let s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!HAS_CONTROL.test(s)) return s;
  const cr = s.lastIndexOf('\r');
  if (cr !== -1) s = s.slice(cr + 1);

  let out = '';
  let column = 0;
  let coloured = false;
  let plainFrom = 0;
  CONTROL.lastIndex = 0;
  for (let m = CONTROL.exec(s); m !== null; m = CONTROL.exec(s)) {
    const at = m.index;
    out += s.slice(plainFrom, at);
    column += at - plainFrom;
    const c = s.charCodeAt(at);
    let next = at + 1;
    if (c === TAB) {
      const spaces = 8 - (column % 8);
      out += ' '.repeat(spaces);
      column += spaces;
    } else if (c === ESC || c === C1_CSI || c === C1_OSC || C1_STRING.has(c)) {
      const seq = c === ESC ? escapeAt(s, at + 1) : c1At(s, at + 1, c);
      next = seq.end;
      if (seq.sgr !== undefined && keepColour) {
        out += `\x1b[${seq.sgr}m`;
        coloured = true;
      }
    }
    plainFrom = next;
    CONTROL.lastIndex = next;
  }
  out += s.slice(plainFrom);
  // A line that changes colour must not bleed it into the rest of the screen.
  return coloured ? out + '\x1b[0m' : out;
}

/** Drops SGR sequences: the text a user reads and searches. */
export function stripColour(s: string): string {
  return s.includes('\x1b') ? s.replace(SGR, '') : s;
}

const ESC = 0x1b;
const TAB = 0x09;
const BEL = 0x07;
const C1_CSI = 0x9b;
const C1_OSC = 0x9d;
const C1_ST = 0x9c;
/** DCS, SOS, PM, APC: strings ended by ST, whose content is never shown. */
const C1_STRING = new Set([0x90, 0x98, 0x9e, 0x9f]);
const HAS_CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const SGR = /\x1b\[[\d;:]*m/g;
const SGR_PARAMS = /^[\d;:]*$/;

interface Sequence {
  /** Index just past the sequence. */
  end: number;
  /** Parameters of a colour sequence worth keeping. */
  sgr?: string;
}

/** After ESC at `i - 1`. */
function escapeAt(s: string, i: number): Sequence {
  const c = s.charCodeAt(i);
  if (c === 0x5b /* [ */) return csiAt(s, i + 1);
  if (c === 0x5d /* ] */) return stringAt(s, i + 1, true);
  if (c === 0x50 /* P */ || c === 0x58 /* X */ || c === 0x5e /* ^ */ || c === 0x5f /* _ */) return stringAt(s, i + 1, false);
  // nF / Fp / Fe / Fs: intermediates 0x20–0x2F, then a final 0x30–0x7E (ESC c, ESC 7, ESC ( B, ESC # 8, ...).
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x7e) return { end: j + 1 };
  return { end: i };
}

function c1At(s: string, i: number, c: number): Sequence {
  if (c === C1_CSI) return csiAt(s, i);
  return stringAt(s, i, c === C1_OSC);
}

/** CSI parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E. A malformed one is dropped up to where it broke. */
function csiAt(s: string, i: number): Sequence {
  let j = i;
  while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f) j++;
  const params = s.slice(i, j);
  const interStart = j;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j >= s.length) return { end: s.length };
  const final = s.charCodeAt(j);
  if (final < 0x40 || final > 0x7e) return { end: j };
  const isSgr = final === 0x6d /* m */ && j === interStart && SGR_PARAMS.test(params);
  return isSgr ? { end: j + 1, sgr: params } : { end: j + 1 };
}

/** OSC/DCS/SOS/PM/APC: everything up to ST (ESC \ or 0x9C), or BEL for OSC; unterminated runs to the end of the line. */
function stringAt(s: string, i: number, belEnds: boolean): Sequence {
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === C1_ST || (belEnds && c === BEL)) return { end: j + 1 };
    if (c === ESC && s.charCodeAt(j + 1) === 0x5c /* \ */) return { end: j + 2 };
  }
  return { end: s.length };
}
