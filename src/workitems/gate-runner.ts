import { relative } from 'node:path';
import type { Attempt } from '../../contracts/attempt.js';
import type { GateDef } from '../../contracts/gate-registry.js';
import { completeAttempt, failGate, startGate } from '../engine/gate-ops.js';
import type { Executor } from '../exec/index.js';
import { LineSplitter } from '../exec/lines.js';
import { shCommand, shPath } from '../exec/quote.js';
import type { TrackedTasks } from '../exec/tasks.js';
import type { RunWriter } from '../records/run-writer.js';

/** How a gate command ended, wherever it ran. */
export interface CommandEnd {
  exitCode: number | null;
  timedOut: boolean;
  /** Why it ended other than by its own exit (a signal, a lost task). */
  reason: string | null;
  /** Where it ran, for the record: `local`, or the target, task id and folder. */
  where: string;
}

export interface GateRunOptions {
  writer: RunWriter;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  agent: string;
  /** Each output line as it arrives (live logs). */
  onLine: (gate: string, line: string) => void;
}

/** `requires` variables that are unset or empty. */
export const missingRequires = (gate: GateDef, env: NodeJS.ProcessEnv) => gate.requires.filter((v) => !env[v]);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One recorded gate attempt: start it, fail it at once when a `requires` variable is missing, otherwise
 * run the command (its output going to logs/gates/<id>/attempt-<n>.log and to onLine) and judge it by
 * its exit code.
 */
async function recordGateRun(
  opts: GateRunOptions,
  id: string,
  gate: GateDef,
  execute: (line: (text: string) => void, attempt: number) => Promise<CommandEnd>,
): Promise<Attempt> {
  const w = opts.writer;
  const attempt = startGate(w, id, opts.agent);
  const missing = missingRequires(gate, opts.env);
  if (missing.length)
    return failGate(w, id, `missing required environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (gate not started)`);
  const logRel = `gates/${id}/attempt-${attempt}.log`;
  w.writeLog(logRel, '');
  const line = (text: string) => {
    w.appendLog(logRel, `${text}\n`);
    opts.onLine(id, text);
  };
  const started = Date.now();
  let end: CommandEnd;
  try {
    end = await execute(line, attempt);
  } catch (e) {
    failGate(w, id, `could not run: ${(e as Error).message}`);
    throw e;
  }
  const took = seconds(Date.now() - started);
  const pass = end.exitCode === 0 && !end.timedOut;
  const outcome = end.timedOut ? `timed out after ${took}` : `exit ${end.exitCode ?? 'none'}${end.reason ? ` (${end.reason})` : ''} after ${took}`;
  return completeAttempt(w, id, {
    status: pass ? 'PASS' : 'FAIL',
    artifacts: [],
    validations: [
      {
        type: 'exit_code',
        path: relative(w.paths.dir, `${w.paths.logs}/${logRel}`),
        pass,
        severity: 'fail',
        detail: `${outcome} on ${end.where}`,
      },
    ],
    failure_reason: pass ? null : `${outcome} on ${end.where}`,
    required_outputs: [],
  });
}

/** Tier A: the gate's argument list, run here in the repository with execa (through the local executor). */
export function runLocalGate(opts: GateRunOptions, id: string, gate: GateDef, local: Executor, repo: string): Promise<Attempt> {
  return recordGateRun(opts, id, gate, async (line) => {
    const r = await local.run(gate.command!, {
      cwd: repo,
      onStdout: line,
      onStderr: line,
      timeoutMs: gate.timeout_secs === undefined ? undefined : gate.timeout_secs * 1000,
      signal: opts.signal,
    });
    const said = r.stderr.toString('utf8').trim();
    if (said) line(said);
    return { exitCode: r.exitCode, timedOut: r.timedOut, reason: r.signal ? `signal ${r.signal}` : null, where: 'local' };
  });
}

/**
 * Tier B: the gate's argument list as a tracked task on the target, in `remoteDir`, with the `requires`
 * variables passed along; its log is tailed live until the task ends.
 */
export function runRemoteGate(
  opts: GateRunOptions,
  id: string,
  gate: GateDef,
  tasks: TrackedTasks,
  target: string,
  remoteDir: string,
  taskId: (attempt: number) => string,
): Promise<Attempt> {
  return recordGateRun(opts, id, gate, async (line, attempt) => {
    const task = taskId(attempt);
    const env = gate.requires.map((v) => `${v}=${opts.env[v]!}`);
    const started = await tasks.start({
      id: task,
      command: `cd ${shPath(remoteDir)} && exec ${shCommand([...(env.length ? ['env', ...env] : []), ...gate.command!])}`,
      timeoutSecs: gate.timeout_secs === undefined ? undefined : Math.ceil(gate.timeout_secs),
    });
    const lines = new LineSplitter(line);
    opts.writer.append({
      type: 'note',
      step: id,
      message: `tracked task ${task} started on ${target} in ${started.dir}; follow it with \`gantry task logs --target ${target} --id ${task} --follow\``,
    });
    const status = await tasks.followLog(task, { onData: (data) => lines.push(data), signal: opts.signal });
    lines.end();
    return {
      exitCode: status.exit_code,
      timedOut: status.state === 'timed_out',
      reason: status.reason,
      where: `${target} (task ${task} in ${started.dir})`,
    };
  });
}
