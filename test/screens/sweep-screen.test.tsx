import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createConsoleStore } from '../../state/store.js';
import { eventStream, PHASES, runStarted, stepFinished, stepStarted } from '../state/fixtures.js';
import { feed, KEY, renderConsole } from './harness.js';

afterEach(cleanup);

function sweeping() {
  const store = createConsoleStore();
  store.getState().attach('watch', ['cockpit']);
  const ev = eventStream();
  const row = (row: string, status: string, at: number, message: string | null = null) =>
    ev({ type: 'sweep.row', step: 'P60', row, status, log: `sweep/${row}.log`, message }, at);
  feed(
    store,
    [ev(runStarted(PHASES)), ev(stepStarted('P00')), ev(stepFinished('P00', 'ok')), ev(stepStarted('P60', 'SWEEP', 'sweep')), row('lr-small', 'running', 10_000), row('lr-large', 'running', 11_000), row('lr-small', 'success', 75_000), row('lr-mid', 'pending', 12_000, 'waiting for a GPU')],
    { 'sweep/lr-small': ['step 1/5 loss=2.0', 'train: done, final loss 1.2'], 'sweep/lr-large': ['step 1/5 loss=1.25', '\x1b[33mstep 2/5 loss=0.83\x1b[0m'] },
  );
  return store;
}

describe('sweep screen', () => {
  it('Enter on the sweep step lists rows: status, elapsed, last log line; Enter opens a row’s log', async () => {
    const r = await renderConsole(sweeping());
    await r.until((x) => x.includes('▶ P60'));
    await r.press(KEY.enter);
    let f = await r.until((x) => x.includes('sweep P60 · 3 rows · 1 running · 1 ok · 0 failed'));
    expect(f).toMatch(/ROW\s+STATUS\s+ELAPSED\s+LAST LOG LINE/);
    expect(f).toMatch(/›lr-small\s+success\s+1m05s\s+train: done, final loss 1\.2/);
    expect(f).toMatch(/lr-large\s+running\s+\S+\s+step 2\/5 loss=0\.83/);
    expect(f).toMatch(/lr-mid\s+pending\s+-\s+waiting for a GPU/);
    await r.press(KEY.down, KEY.enter);
    f = await r.until((x) => x.includes('log sweep/lr-large'));
    expect(f).toContain('step 1/5 loss=1.25');
    await r.press(KEY.esc);
    await r.until((x) => x.includes('sweep P60'));
    await r.press(KEY.down, KEY.enter);
    await r.until((x) => x.includes('row lr-mid has no log yet') || x.includes('log sweep/lr-mid'));
    await r.press(KEY.esc, KEY.esc);
    await r.until((x) => x.includes('▶ P60'));
  });
});
