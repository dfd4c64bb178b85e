import { describe, expect, it } from 'vitest';
import { sanitizeLine, stripColour } from '../../state/sanitize.js';

/** What may reach the screen: printable text and colour sequences, nothing else. */
const SAFE = /^(?:[^\x00-\x1f\x7f-\x9f]|\x1b\[[\d;:]*m)*$/;

describe('sanitizeLine: a hostile log cannot drive the terminal', () => {
  it('leaves plain text alone, unicode included', () => {
    expect(sanitizeLine('step 3/5 loss=0.42 — naïve 日本語 ✓')).toBe('step 3/5 loss=0.42 — naïve 日本語 ✓');
  });

  it('lets colours (SGR) pass and resets them at the end of the line', () => {
    expect(sanitizeLine('\x1b[1;31mFAIL\x1b[0m in \x1b[38;5;208mP60')).toBe('\x1b[1;31mFAIL\x1b[0m in \x1b[38;5;208mP60\x1b[0m');
    expect(sanitizeLine('\x1b[38:2:255:0:0mrgb')).toBe('\x1b[38:2:255:0:0mrgb\x1b[0m');
  });

  it('drops colours too when colour is off (NO_COLOR)', () => {
    expect(sanitizeLine('\x1b[31mred\x1b[0m text', false)).toBe('red text');
  });

  it.each([
    ['clear screen', 'a\x1b[2Jb', 'ab'],
    ['clear scrollback', 'a\x1b[3Jb', 'ab'],
    ['cursor home', '\x1b[Hx', 'x'],
    ['cursor position', 'x\x1b[10;20Hy', 'xy'],
    ['cursor up', 'x\x1b[3Ay', 'xy'],
    ['erase line', 'x\x1b[2Ky', 'xy'],
    ['scroll region', '\x1b[1;5rx', 'x'],
    ['alternate screen', '\x1b[?1049hx\x1b[?1049l', 'x'],
    ['hide cursor', '\x1b[?25lx', 'x'],
    ['mouse tracking', '\x1b[?1000hx', 'x'],
    ['private SGR look-alike', '\x1b[?31mx', 'x'],
    ['SGR with an intermediate', '\x1b[31 mx', 'x'],
    ['device status report (answerback)', '\x1b[6nx', 'x'],
    ['window title (OSC 0, BEL)', '\x1b]0;pwned\x07ok', 'ok'],
    ['window title (OSC 2, ST)', '\x1b]2;pwned\x1b\\ok', 'ok'],
    ['hyperlink (OSC 8)', '\x1b]8;;https://evil.example\x07link\x1b]8;;\x07', 'link'],
    ['clipboard write (OSC 52)', '\x1b]52;c;cm0gLXJmIC8K\x07ok', 'ok'],
    ['unterminated OSC eats the rest', 'ok\x1b]0;never ends', 'ok'],
    ['DCS', '\x1bPq#0;2;0;0;0#0~~\x1b\\ok', 'ok'],
    ['APC', '\x1b_Gf=100;AAAA\x1b\\ok', 'ok'],
    ['PM', '\x1b^private\x1b\\ok', 'ok'],
    ['SOS', '\x1bXstring\x1b\\ok', 'ok'],
    ['full reset (RIS)', '\x1bcok', 'ok'],
    ['save/restore cursor', '\x1b7ok\x1b8', 'ok'],
    ['charset switch', '\x1b(0ok\x1b(B', 'ok'],
    ['DEC alignment test', '\x1b#8ok', 'ok'],
    ['8-bit CSI', 'a\x9b2Jb', 'ab'],
    ['8-bit OSC', '\x9d0;title\x9cok', 'ok'],
    ['8-bit DCS', '\x90junk\x9cok', 'ok'],
    ['C1 NEL and IND', 'a\x85b\x84c', 'abc'],
    ['BEL, NUL, BS, VT, FF, DEL', 'a\x07\x00\x08\x0b\x0c\x7fb', 'ab'],
    ['lone ESC at the end', 'ok\x1b', 'ok'],
    ['unterminated CSI at the end', 'ok\x1b[12;', 'ok'],
  ])('strips %s', (_what, input, output) => {
    expect(sanitizeLine(input)).toBe(output);
  });

  it('shows what a terminal would show after a carriage return, and drops a CRLF ending', () => {
    expect(sanitizeLine('10%\r20%\r30%')).toBe('30%');
    expect(sanitizeLine('windows line\r')).toBe('windows line');
  });

  it('turns tabs into spaces up to the next multiple of 8', () => {
    expect(sanitizeLine('a\tb')).toBe('a       b');
    expect(sanitizeLine('12345678\tx')).toBe('12345678        x');
  });

  it('never lets anything but text and colour through, whatever it is fed (fuzz)', () => {
    const pieces = ['\x1b', '[', ']', 'P', '_', '^', 'X', '\\', '\x07', '\x9b', '\x9c', '\x9d', '\x90', '?', ';', '1', '31', 'm', 'H', 'J', '\r', '\t', '\x00', '\x85', 'a', 'é', ' ', '(', '#'];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 0; i < 5000; i++) {
      let s = '';
      for (let j = rand(40); j > 0; j--) s += pieces[rand(pieces.length)];
      const out = sanitizeLine(s);
      expect(out, JSON.stringify(s)).toMatch(SAFE);
      expect(sanitizeLine(s, false), JSON.stringify(s)).not.toContain('\x1b');
    }
  });

  it('stripColour gives the text a user reads and searches', () => {
    expect(stripColour('\x1b[31mred\x1b[0m')).toBe('red');
  });
});
