import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startSshd, type Sshd } from '../support/sshd.js';
import { gantry, gantryBackground, waitFor } from '../support/gantry.js';
import { privateTmux } from '../support/private-tmux.js';
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

describe('a sweep row lost on the target', () => {
  it('strands the rows held behind it: sweep status reports them failed, so --sweep resume plans them again', async () => {
    const tmux = privateTmux();
    onTestFinished(() => tmux.stop());
    const p = await flowProject({ LIUM_TARGET: 'local' }, tmux.env);
    writeFileSync(join(p.dir, 'sweep.csv'), 'run_id,config,seed,overrides,notes\nfirst,c,1,"steps=300,step_secs=0.1",\nsecond,c,2,"steps=1,step_secs=0",\nthird,c,3,"steps=1,step_secs=0",\n');
    expect((await p.flow(['--provision', 'skip', '--wait', 'false'])).code).toBe(0);
    const plan = readJson(join(p.outputs, '_control', 'sweep.json'));
    const status = (i: number) => readJson(join(p.outputs, '_tasks', plan.rows[i].task_id, 'status.json'));
    await waitFor(() => status(0).state === 'running', 20_000, 'the first row to run');
    // What a host reboot does to the first row: its wrapper and its command are gone, mid-run.
    process.kill(status(0).wrapper_pid, 'SIGKILL');
    process.kill(-status(0).pgid, 'SIGKILL');

    const view = JSON.parse((await gantry(['sweep', 'status', '--json'], { cwd: p.dir, env: tmux.env })).stdout);
    expect(view.rows.map((r: { run_id: string; state: string }) => `${r.run_id}:${r.state}`)).toEqual(['first:failed', 'second:failed', 'third:failed']);
    expect(view.rows[1].detail).toContain(`stranded behind task ${plan.rows[0].task_id}`);
    expect(view.rows[2].detail).toContain(`stranded behind task ${plan.rows[1].task_id}`);
    // Nothing of theirs ever ran.
    expect(status(1)).toMatchObject({ state: 'pending', started_at: null });

    writeFileSync(join(p.dir, 'sweep.csv'), readFileSync(join(p.dir, 'sweep.csv'), 'utf8').replace('steps=300,step_secs=0.1', 'steps=1,step_secs=0'));
    const resumed = await p.flow(['--provision', 'skip', '--sweep', 'resume', '--wait', 'true']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(readFileSync(p.counter, 'utf8').split('\n').filter(Boolean)).toEqual(['first', 'first', 'second', 'third']);
  });
});

