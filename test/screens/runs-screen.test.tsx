import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createConsoleStore, type RunSummary } from '../../state/store.js';
import { KEY, renderConsole } from './harness.js';

afterEach(cleanup);

const run = (run_id: string, workflow: string, status: string, current: string | null): RunSummary => ({
  run_id,
  workflow,
  status,
  current,
  started_at: '2025-03-04T05:06:07Z',
  finished_at: status === 'RUNNING' ? null : '2025-03-04T05:07:12Z',
});

function browsing(runs: RunSummary[]) {
  const store = createConsoleStore();
  store.getState().attach('browse', ['runs']);
  store.getState().setRuns(runs, '/work/proj/gantry/runs');
  return store;
}

describe('runs screen', () => {
  it('lists runs with id, workflow, status, start, duration and current step, and the keys', async () => {
    const r = await renderConsole(
      browsing([run('run_20250304T050607Z_flow_aaaaaa', 'remote-experiment', 'RUNNING', 'P60'), run('run_20250304T050607Z_essay_bbbbbb', 'visual-essay', 'PASSED', null)]),
    );
    const f = await r.until((x) => x.includes('gantry · runs · 2'));
    expect(f).toMatch(/RUN ID\s+WORKFLOW\s+STATUS\s+STARTED\s+DURATION\s+STEP/);
    expect(f).toMatch(/›run_20250304T050607Z_flow_aaaaaa\s+remote-experiment\s+RUNNING\s+2025-03-04 \d\d:06:07\s+\S+\s+P60/);
    expect(f).toMatch(/run_20250304T050607Z_essay_bbbbbb\s+visual-essay\s+PASSED\s+2025-03-04 \d\d:06:07\s+1m05s\s+-/);
    expect(f).toContain('↑/↓ select · enter open · / filter · ? help · q quit');
  });

  it('says where runs would be and how to start one when there are none', async () => {
    const r = await renderConsole(browsing([]));
    expect(await r.until((x) => x.includes('no runs in'))).toContain('no runs in /work/proj/gantry/runs — start one with `gantry run <workflow>` or `gantry flow`');
  });

  it('filters with / as you type, and Enter opens the selected run', async () => {
    const r = await renderConsole(browsing([run('run_a', 'remote-experiment', 'FAILED', 'P20'), run('run_b', 'visual-essay', 'PASSED', null), run('run_c', 'visual-essay', 'RUNNING', 'G2')]));
    await r.press('/', 'e', 's', 's', 'a', 'y');
    const f = await r.until((x) => x.includes('2 of 3'));
    expect(f).toContain('filter /essay█');
    expect(f).not.toContain('run_a');
    await r.press(KEY.enter, KEY.down, KEY.enter);
    expect(r.called('openRun')).toEqual([['run_c']]);
    await r.press(KEY.esc);
    expect(await r.until((x) => x.includes('gantry · runs · 3'))).toContain('run_a');
  });

  it('Esc while typing the filter drops it', async () => {
    const r = await renderConsole(browsing([run('run_a', 'w1', 'PASSED', null), run('run_b', 'w2', 'PASSED', null)]));
    await r.press('/', 'w', '2');
    await r.until((x) => x.includes('1 of 2'));
    await r.press(KEY.esc);
    expect(await r.until((x) => x.includes('gantry · runs · 2'))).not.toContain('filter /');
  });
});
