import { TrackedTasks } from '../../exec/tasks.js';
import type { FlowSession } from '../session.js';
import { sweepStatus } from './status.js';

/**
 * `--on-cancel kill`: a canceled flow ends the sweep rows still live on the target (running, or waiting
 * for their slot) instead of leaving them to finish, one remote command per 400 rows: each task's whole
 * process group is ended. Rows are killed last first: a held row is ended before the row it waits for
 * ends and would start it.
 */
export async function killLiveSweepTasks(s: FlowSession): Promise<void> {
  if (!s.exec || !s.env) return;
  const out = s.env.OPS_REMOTE_OUTPUTS_DIR;
  const view = await sweepStatus(s.exec, out);
  const live = view.rows.filter((r) => r.task_id !== null && (r.state === 'running' || r.state === 'waiting')).reverse();
  const tasks = new TrackedTasks(s.exec, { outputsDir: out });
  await tasks.killMany(live.map((r) => r.task_id!));
  s.writer.append({
    type: 'note',
    step: null,
    message: live.length
      ? `--on-cancel kill: killed ${live.length} sweep task(s): ${live.map((r) => r.task_id).join(', ')}`
      : '--on-cancel kill: no sweep task was live',
  });
}
