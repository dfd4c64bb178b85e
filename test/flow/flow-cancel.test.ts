import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { TaskStatus } from '../../contracts/task.js';
import { readEvents } from '../../src/records/event-log.js';
import { gantryBackground, waitFor } from '../support/gantry.js';
import { privateTmux } from '../support/private-tmux.js';
import { flowProject } from './harness.js';

const SLOW_SWEEP = ['run_id,config,seed,overrides,notes', 'slow1,base.yaml,1,"steps=200,step_secs=0.1",slow', 'slow2,base.yaml,2,"steps=200,step_secs=0.1",slow', ''].join('\n');

/** Tasks whose status.json exists yet (a task folder is created before its status). */
const taskStates = (outputs: string) => {
  const dir = join(outputs, '_tasks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((id) => join(dir, id, 'status.json'))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as TaskStatus);
};
const groupAlive = (pgid: number | null) => {
  if (!pgid) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Ctrl-C of a flow leaves remote tasks running, unless the user chose --on-cancel kill', () => {
  for (const choice of ['keep', 'kill'] as const)
    it(`--on-cancel ${choice}`, async () => {
      const tmux = privateTmux();
      onTestFinished(() => tmux.stop());
      const p = await flowProject({ LIUM_TARGET: 'local' }, tmux.env);
      writeFileSync(join(p.dir, 'sweep.csv'), SLOW_SWEEP);
      const bg = gantryBackground(['flow', '--no-tty', '--provision', 'skip', '--wait', 'true', '--on-cancel', choice], { cwd: p.dir, env: tmux.env });
      await waitFor(() => existsSync(p.runs) && readdirSync(p.runs).some((d) => d.startsWith('run_')), 30_000, 'the flow run');
      await waitFor(() => taskStates(p.outputs).some((t) => t.state === 'running'), 30_000, 'a sweep row running');
      bg.kill('SIGINT');
      const done = await bg;
      expect(done.exitCode).toBe(130);
      const events = readEvents(join(p.runDir(), 'record', 'events.jsonl'));
      expect(events.find((e) => e.type === 'run.finished')).toMatchObject({ status: 'CANCELED' });
      const live = taskStates(p.outputs).filter((t) => groupAlive(t.pgid));
      if (choice === 'keep') {
        expect(live.length).toBeGreaterThan(0);
        for (const t of live) process.kill(-t.pgid!, 'SIGKILL');
      } else {
        await waitFor(() => taskStates(p.outputs).every((t) => !groupAlive(t.pgid)), 15_000, 'every task group gone');
        expect(events.some((e) => e.type === 'note' && /--on-cancel kill: killed 2 sweep task/.test(e.message))).toBe(true);
        // The second row, held behind the first, was ended before it ever started: it never runs.
        await new Promise((r) => setTimeout(r, 1500));
        const [first, second] = taskStates(p.outputs).sort((a, b) => a.task_id.localeCompare(b.task_id));
        expect(first).toMatchObject({ state: 'failed', reason: 'killed by gantry task kill' });
        expect(second).toMatchObject({ state: 'failed', started_at: null, reason: 'killed by gantry task kill before it started' });
      }
    });
});
