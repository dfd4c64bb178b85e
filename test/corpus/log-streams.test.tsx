import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { followRun } from '../../src/cli/console/run-follower.js';
import { runPaths } from '../../src/records/run-paths.js';
import { createFeed } from '../../state/feed.js';
import { createConsoleStore } from '../../state/store.js';
import { renderConsole, feed as feedEvents } from '../screens/harness.js';
import { eventStream, runStarted, stepStarted } from '../state/fixtures.js';
import { tmp } from '../support/gantry.js';

afterEach(cleanup);

const ESC = '\u001b';
/** Hostile remote output: each line carries a visible marker that must still be shown, safely. */
const STREAMS: Record<string, Buffer> = {
  'screen clear and cursor home': Buffer.from(`${ESC}[2J${ESC}[HMARK-clear`),
  'cursor moves': Buffer.from(`MARK-moves${ESC}[10;10H${ESC}[5A${ESC}[3C`),
  'title change (OSC 0)': Buffer.from(`${ESC}]0;pwned\u0007MARK-title`),
  'hyperlink (OSC 8)': Buffer.from(`${ESC}]8;;http://evil.example${ESC}\\MARK-link${ESC}]8;;${ESC}\\`),
  'device control string': Buffer.from(`${ESC}P1$r0m${ESC}\\MARK-dcs`),
  'alternate screen switch': Buffer.from(`${ESC}[?1049hMARK-alt${ESC}[?1049l`),
  'mouse reporting on': Buffer.from(`${ESC}[?1000h${ESC}[?1006hMARK-mouse`),
  'C1 CSI as UTF-8': Buffer.from(`\u009b31mMARK-c1\u009b0m`),
  'bell, backspace and carriage return': Buffer.from(`safe\rMARK-cr\u0007\b\b`),
  'NUL bytes': Buffer.from(`MARK-nul\u0000\u0000x`),
  'invalid UTF-8': Buffer.concat([Buffer.from('MARK-utf8 '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82])]),
  'keypad and charset switches': Buffer.from(`${ESC}=${ESC}(0MARK-charset${ESC}(B${ESC}>`),
  'SGR colours pass': Buffer.from(`${ESC}[31mMARK-red${ESC}[0m`),
  'a 10 MB line': Buffer.concat([Buffer.from('MARK-huge '), Buffer.alloc(10 * 1024 * 1024, 0x61)]),
};

/** Anything that is not plain text, a newline, or an SGR colour sequence. */
const UNSAFE = new RegExp(`${ESC}(?!\\[[0-9;]*m)|[\\u0000-\\u0009\\u000b-\\u001a\\u001c-\\u001f\\u007f-\\u009f]`);

describe('remote log streams: hostile output is displayed safely', () => {
  it.each(Object.entries(STREAMS))('%s', async (name, bytes) => {
    const runs = join(tmp(), 'runs');
    const paths = runPaths(runs, 'run_20250101T000000Z_demo_abcdef');
    mkdirSync(join(paths.logs, 'steps'), { recursive: true });
    writeFileSync(join(paths.logs, 'steps', 'P60.log'), Buffer.concat([Buffer.from('before\n'), bytes, Buffer.from('\nafter\n')]));

    const store = createConsoleStore();
    store.getState().attach('watch', ['cockpit']);
    const ev = eventStream();
    feedEvents(store, [ev(runStarted()), ev(stepStarted('P60', 'SWEEP', 'sweep'))]);
    const feed = createFeed(store, { intervalMs: 1 });
    const follower = followRun(paths, feed, { events: false, pollMs: 10_000 });
    follower.poll();
    feed.flush();
    follower.stop();

    const r = await renderConsole(store);
    const marker = /MARK-[a-z0-9]+/.exec(bytes.subarray(0, 64).toString('latin1'))![0];
    const frame = await r.until((f) => f.includes('after'), `the log of "${name}" shown`);
    expect(frame).toContain(marker);
    expect(frame).not.toMatch(UNSAFE);
    const rss = process.memoryUsage().rss / 2 ** 20;
    expect(rss).toBeLessThan(1024);
  });
});
