import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../support/sshd.js';
import { gantryBackground, waitFor } from '../support/gantry.js';
import { flowProject, phaseLine, readJson } from './harness.js';

describe('an interrupted flow continues from its record', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('kill -9 of gantry mid-sweep, then `gantry flow` again: the sweep is re-attached and completes with no row run twice', async () => {
    const p = await flowProject({ LIUM_TARGET: sshd.alias }, sshd.env);
    writeFileSync(join(p.dir, 'sweep.csv'), readFileSync(join(p.dir, 'sweep.csv'), 'utf8').replace(/steps=2,step_secs=0.1/g, 'steps=4,step_secs=0.5'));
    const ran = () => {
      try {
        return readFileSync(p.counter, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    };
    const first = gantryBackground(['flow', '--no-tty', '--wait', 'true'], { cwd: p.dir, env: sshd.env });
    await waitFor(() => ran().length >= 2, 40_000, 'the second row to start');
    first.kill('SIGKILL');
    const killed = await first;
    expect(killed.signal).toBe('SIGKILL');
    expect(readJson(join(p.runDir(), 'record', 'RUN.json')).status).toBe('RUNNING');

    const second = await p.flow(['--wait', 'true']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('ATTEMPT=2');
    expect(second.stdout).toMatch(/note: resuming flow run_\S+ \(attempt 2\)/);
    for (const ph of ['P10', 'P20', 'P30', 'P40', 'P50', 'P60']) expect(second.stdout).toContain(`note [${ph}]: ${ph} passed in an earlier attempt`);
    expect(phaseLine(second.stdout, 'P70')).toMatch(/STATUS=ok CODE=0/);
    expect(phaseLine(second.stdout, 'P60')).toBeUndefined();

    // Every row ran exactly once, on the target, across both attempts.
    expect(ran()).toEqual(['r1', 'r2', 'r3']);
    for (const id of ['r1', 'r2', 'r3']) expect(readJson(join(p.outputs, id, 'summary.json')).ok).toBe(true);

    // One run, both attempts in its record.
    const events = p.events();
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'run.resumed')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'step.started' && e.step === 'P70')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'step.started' && e.step === 'P60')).toHaveLength(1);
    const summary = readJson(join(p.runDir(), 'record', 'flow.summary.json'));
    expect(summary).toMatchObject({ status: 'passed', attempts: 2, sweep: { rows: 3, done: 3, failed: [] } });
    expect(readJson(join(p.outputs, '_control', 'workflow_state.json')).state).toBe('SWEEP_COMPLETED');
  });
});
