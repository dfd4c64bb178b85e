import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createConsoleStore } from '../../state/store.js';
import { eventStream, runStarted, stepStarted } from '../state/fixtures.js';
import { feed, KEY, renderConsole } from './harness.js';

afterEach(cleanup);

/** A running step whose log has 300 lines, a few of them worth searching for. */
function logging() {
  const store = createConsoleStore();
  store.getState().attach('owned', ['cockpit']);
  const ev = eventStream();
  const lines = Array.from({ length: 300 }, (_, i) => (i % 100 === 42 ? `line ${i} NEEDLE found` : `line ${i} loss=${(1 / (i + 1)).toFixed(4)}`));
  lines.push(`the last line is long: ${'x'.repeat(150)} END`);
  feed(store, [ev(runStarted()), ev(stepStarted('P60', 'SWEEP', 'sweep'))], { 'steps/P60': lines });
  return store;
}

describe('log pane', () => {
  it('follows the newest line; s pauses and resumes; g goes to the oldest; G back to the newest', async () => {
    const r = await renderConsole(logging());
    let f = await r.until((x) => x.includes('301 lines · following'));
    expect(f).toContain('line 299 loss=');
    await r.press('s');
    await r.until((x) => x.includes('paused at 301'));
    await r.press('s');
    await r.until((x) => x.includes('following'));
    await r.press('g');
    f = await r.until((x) => x.includes('paused at 1'));
    expect(f).toContain('line 0 loss=1.0000');
    await r.press(KEY.pgdn);
    f = await r.until((x) => !x.includes('paused at 1 '));
    await r.press('G');
    await r.until((x) => x.includes('following') && x.includes('line 299'));
  });

  it('/ searches from the newest line, highlights matches; n goes to older ones, N to newer', async () => {
    const r = await renderConsole(logging());
    await r.press('/', 'n', 'e', 'e', 'd', 'l', 'e');
    await r.until((x) => x.includes('search /needle█'));
    await r.press(KEY.enter);
    let f = await r.until((x) => x.includes('paused at 243'));
    expect(f).toContain('line 242 NEEDLE found');
    expect(f).toContain('/needle');
    await r.press('n');
    f = await r.until((x) => x.includes('paused at 143'));
    await r.press('n', 'n');
    f = await r.until((x) => x.includes('no earlier match for "needle"'));
    expect(f).toContain('paused at 43');
    await r.press('N');
    await r.until((x) => x.includes('paused at 143'));
  });

  it('w wraps long lines, t shows arrival times, m marks the bottom line', async () => {
    const r = await renderConsole(logging());
    let f = await r.until((x) => x.includes('the last line is long'));
    expect(f).not.toContain('END');
    await r.press('w');
    f = await r.until((x) => x.includes('END'));
    expect(f).toContain('· wrap');
    await r.press('t');
    f = await r.until((x) => x.includes('· wrap time'));
    expect(f).toMatch(/\d\d:\d\d:56\.789 line 299/);
    await r.press('m');
    f = await r.until((x) => x.includes('marked line 301'));
    expect(f).toMatch(/▌ \d\d:\d\d:56\.789 the last line/);
  });

  it('ctrl-s saves the log up to the bottom of the pane', async () => {
    const r = await renderConsole(logging());
    await r.until((x) => x.includes('301 lines'));
    await r.press(KEY.tab, KEY.up, KEY.up, KEY.ctrlS);
    const [key, lines] = r.called('saveLog')[0] as [string, string[]];
    expect(key).toBe('steps/P60');
    expect(lines).toHaveLength(299);
    expect(lines.at(-1)).toMatch(/^line 298 /);
  });
});
