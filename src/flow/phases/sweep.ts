import { resolve } from 'node:path';
import type { FlowSession, PhaseOutcome } from '../session.js';
import { envOf, execOf, ok, PhaseFailure, skip } from '../session.js';
import { isGantryError } from '../../../contracts/errors.js';
import type { SweepPlan } from '../../../contracts/flow.js';
import { TrackedTasks } from '../../exec/tasks.js';
import { CODES } from '../constitution.js';
import { readFsm } from '../fsm.js';
import { commitPlan, launchRows, type LaunchSettings, type RowLaunch, type RowToLaunch } from '../sweep/launch.js';
import { readSweepCsv } from '../sweep/manifest.js';
import { planSweep } from '../sweep/plan.js';
import { sweepStatus } from '../sweep/status.js';
import { move, repeatable } from './common.js';

/** Rows started per remote command: large enough to amortise the round trip, small enough to show progress. */
const LAUNCH_BATCH = 100;

export const rowLog = (runId: string) => `sweep/${runId}.log`;

function launchSettings(s: FlowSession): LaunchSettings {
  const env = envOf(s);
  return {
    outputsDir: env.OPS_REMOTE_OUTPUTS_DIR,
    repoDir: env.OPS_REMOTE_REPO,
    dataDir: env.DATA_DIR,
    template: env.SWEEP_CMD_TEMPLATE,
    timeoutSecs: Number(env.RUN_TIMEOUT_SECS),
    gpuSlots: env.SWEEP_GPU_SLOTS ? env.SWEEP_GPU_SLOTS.split(',') : [],
  };
}

/**
 * P60: plans the sweep on the target (before any row starts), then starts every planned row that has no
 * task yet. A flow resumed after a crash finds its own plan there and only starts rows that never got a
 * task: a running sweep is re-attached, never relaunched.
 */
export async function sweep(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const mode = s.options.sweep;
  if (mode === 'skip') return skip('sweep-policy', '--sweep skip');
  const command = mode === 'start' ? 'sweep-start' : 'sweep-status';
  const exec = execOf(s);
  const out = env.OPS_REMOTE_OUTPUTS_DIR;
  const csvPath = resolve(s.ws.projectRoot, env.SWEEP_CSV);
  const { rows } = readSweepCsv(csvPath);
  const before = await repeatable(s, 'reading the sweep status', () => sweepStatus(exec, out));
  const reattach = before.plan?.flow_id === s.start.flow_id;
  let plan = before.plan;
  let manifest: string | null = null;
  let fsm: PhaseOutcome['fsm'];
  if (!reattach || !plan) {
    const live = before.rows.filter((r) => r.state === 'running' || r.state === 'waiting');
    if (mode === 'start' && live.length)
      throw new PhaseFailure(
        CODES.SWEEP_BUSY,
        `the sweep of flow ${before.plan?.flow_id} still runs rows ${live.map((r) => r.run_id).join(', ')}; wait for it, or adopt it with --sweep resume`,
        command,
      );
    const state = (await repeatable(s, 'reading the FSM', () => readFsm(exec, out))).state;
    if (state === 'SWEEP_RUNNING' && !live.length) await move(s, 'SWEEP_COMPLETED', CODES.SWEEP_LAUNCH_FAILED, command, 'P60: the previous sweep has ended');
    if (state !== 'SWEEP_RUNNING' || !live.length) fsm = await move(s, 'SWEEP_RUNNING', CODES.SWEEP_LAUNCH_FAILED, command, `P60 sweep ${mode}`);
    const planned = planSweep({ flowId: s.start.flow_id, mode, rows, parallel: Number(env.SWEEP_PARALLEL), previous: before.rows });
    const files = { csv: csvPath, config: s.choice.path, flowStart: s.startFile };
    manifest = await repeatable(s, 'committing the sweep plan', () => commitPlan(exec, s.writer, out, planned, files));
    plan = planned;
  }
  const present = new Set(before.rows.filter((r) => r.task).map((r) => r.task_id));
  const tasks = new TrackedTasks(exec, { outputsDir: out });
  const settings = launchSettings(s);
  const counts = { launched: 0, attached: 0, skipped: 0 };
  const emit = (planned: SweepPlan['rows'][number], status: string, message: string | null) =>
    s.writer.append({ type: 'sweep.row', step: 'P60', row: planned.run_id, status, log: rowLog(planned.run_id), message });
  const toLaunch: RowToLaunch[] = [];
  for (const planned of plan.rows) {
    const row = rows.find((r) => r.run_id === planned.run_id);
    if (planned.task_id === null) {
      counts.skipped++;
      emit(planned, 'skipped', 'summary.json already says ok (--sweep resume)');
    } else if (present.has(planned.task_id) || !row) {
      counts.attached++;
      emit(planned, 'running', `re-attached to task ${planned.task_id}`);
    } else toLaunch.push({ row, planned });
  }
  for (let i = 0; i < toLaunch.length; i += LAUNCH_BATCH) {
    const batch = toLaunch.slice(i, i + LAUNCH_BATCH);
    let launches: RowLaunch[];
    try {
      launches = await launchRows(tasks, batch, settings, (message) =>
        s.writer.append({ type: 'error.recorded', tier: 'correctable', step: 'P60', message }),
      );
    } catch (e) {
      if (s.signal.aborted) throw e;
      throw new PhaseFailure(CODES.SWEEP_LAUNCH_FAILED, `starting rows failed: ${isGantryError(e) ? e.message : String(e)}`, command, { ...counts });
    }
    // Every row this batch did start is recorded before the first refused one fails the phase.
    let refused: string | null = null;
    for (const [j, how] of launches.entries()) {
      const { planned } = batch[j]!;
      if (how instanceof Error) refused ??= `starting row ${planned.run_id} failed: ${how.message}`;
      else {
        counts[how]++;
        emit(planned, planned.after ? 'pending' : 'running', `${how} task ${planned.task_id}${planned.after ? ` (after ${planned.after})` : ''}`);
      }
    }
    if (refused) throw new PhaseFailure(CODES.SWEEP_LAUNCH_FAILED, refused, command, { ...counts });
  }
  const where = manifest ?? `${out}/_manifests/sweep-latest.csv`;
  return ok(command, {
    artifact: `${exec.target}:${where}`,
    fsm,
    message: reattach ? `re-attached to this flow's sweep (${counts.attached} rows running, ${counts.launched} started now)` : null,
    details: { mode, reattached: reattach, rows: plan.rows.length, ...counts, manifest: where, plan, repo_url: env.REPO_URL },
  });
}
