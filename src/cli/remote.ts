import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { TaskStatus } from '../../contracts/task.js';
import { ExecutorPool, isHeld, TMUX_SESSION, TrackedTasks, type Executor } from '../exec/index.js';
import { optionalString, requireString } from './args.js';
import type { Command, OptionSpec, ParsedArgs } from './command.js';
import type { CliContext } from './context.js';
import { terminalPrompter } from './terminal-prompter.js';

/** Options of every command that connects to a target. */
export const CONNECT_OPTIONS: OptionSpec = {
  'accept-new-host-key': { type: 'boolean' },
};

/** Options of the `task` commands. */
export const TASK_OPTIONS: OptionSpec = {
  ...CONNECT_OPTIONS,
  target: { type: 'string' },
  id: { type: 'string' },
  'outputs-dir': { type: 'string' },
};

/**
 * Opens a pool for one command and closes it afterwards. Host keys and passphrases are asked in a
 * terminal only; every reconnect is reported on stderr, as the engine records it in a run.
 */
export async function withExecutor<T>(target: string, args: ParsedArgs, ctx: CliContext, use: (ex: Executor) => Promise<T>): Promise<T> {
  const pool = new ExecutorPool({
    env: ctx.env,
    prompter: ctx.tty ? terminalPrompter() : undefined,
    acceptNewHostKey: args.values['accept-new-host-key'] === true,
    onCorrectableError: (e) => ctx.err(`gantry: ${e.target}: ${e.reason}; retry ${e.attempt} in ${e.delayMs} ms`),
  });
  try {
    return await use(pool.get(target));
  } finally {
    await pool.closeAll();
  }
}

/** `--target` and `--outputs-dir` of a task command, opened as TrackedTasks. */
export function withTasks<T>(cmd: Command, args: ParsedArgs, ctx: CliContext, use: (tasks: TrackedTasks, target: string) => Promise<T>): Promise<T> {
  const target = requireString(args, 'target', cmd);
  const outputsDir = optionalString(args, 'outputs-dir');
  return withExecutor(target, args, ctx, (ex) => use(new TrackedTasks(ex, { outputsDir, env: ctx.env }), target));
}

/** A whole number of seconds (0 allowed only when `allowZero`). */
export function wholeSeconds(args: ParsedArgs, name: string, cmd: Command, allowZero = false): number | undefined {
  const v = optionalString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || (!allowZero && n === 0))
    throw new GantryError(ExitCode.USAGE, `--${name} must be a whole number${allowZero ? '' : ' above 0'}, got "${v}"`, {
      where: `gantry ${cmd.name}`,
      hint: `usage: ${cmd.usage}`,
    });
  return n;
}

/** One line for a task's status, e.g. `task t1: failed (exit 3) — timed out after 5s`. */
export function statusLine(s: TaskStatus): string {
  const exit = s.exit_code === null ? '' : ` (exit ${s.exit_code})`;
  const why = s.reason ?? (isHeld(s) ? `held until task ${s.after} has ended` : null);
  return `task ${s.task_id}: ${s.state}${exit}${why ? ` — ${why}` : ''}`;
}

/** The status in full, for `task status`. */
export function statusDetails(s: TaskStatus, target: string, dir: string): string[] {
  return [
    statusLine(s),
    `  target:   ${target}`,
    `  folder:   ${dir}`,
    `  runner:   ${s.runner}${s.runner === 'tmux' ? ` (tmux attach -t ${TMUX_SESSION})` : ''}`,
    `  pid/pgid: ${s.pid ?? '-'}/${s.pgid ?? '-'}`,
    `  timeout:  ${s.timeout_secs === null ? 'none' : `${s.timeout_secs}s`}`,
    ...(s.after === null ? [] : [`  after:    ${s.after}`]),
    `  created:  ${s.created_at}`,
    `  started:  ${s.started_at ?? '-'}`,
    `  ended:    ${s.ended_at ?? '-'}`,
  ];
}
