import { z } from 'zod';
import { IsoTime, SafeId } from './common.js';

/** pending → running → success | failed | timed_out. The last three never change again. */
export const TaskState = z.enum(['pending', 'running', 'success', 'failed', 'timed_out']);
export type TaskState = z.infer<typeof TaskState>;
export const TERMINAL_TASK_STATES: readonly TaskState[] = ['success', 'failed', 'timed_out'];

/** How the task was detached: a window of the `gantry` tmux session, or `setsid`. */
export const TaskRunner = z.enum(['tmux', 'setsid']);
export type TaskRunner = z.infer<typeof TaskRunner>;

const Pid = z.number().int().positive();

/**
 * `<outputs_dir>/_tasks/<task_id>/status.json` on the target, written atomically (temp file + rename)
 * by configs/task-wrapper.sh. One JSON object on one line.
 */
export const TaskStatus = z.object({
  task_id: SafeId,
  state: TaskState,
  runner: TaskRunner,
  /** The shell running the wrapper; gone while the state is not terminal means the task was lost. */
  wrapper_pid: Pid.nullable(),
  /** The command's process, leader of its own process group (pgid = pid). */
  pid: Pid.nullable(),
  pgid: Pid.nullable(),
  exit_code: z.number().int().nullable(),
  /** Why a task ended other than by its own exit: a timeout, `gantry task kill`, a vanished wrapper. */
  reason: z.string().nullable(),
  timeout_secs: z.number().int().nonnegative().nullable(),
  /** A held task starts only when this task has ended (a sweep row waiting for its slot). */
  after: SafeId.nullable().default(null),
  created_at: IsoTime,
  started_at: IsoTime.nullable(),
  ended_at: IsoTime.nullable(),
});
export type TaskStatus = z.infer<typeof TaskStatus>;
