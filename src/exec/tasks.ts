import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SafeId } from '../../contracts/common.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { TaskStatus, TERMINAL_TASK_STATES, type TaskRunner } from '../../contracts/task.js';
import { SHIPPED_CONFIGS } from '../config/package-root.js';
import { isTransportError } from './errors.js';
import type { Executor } from './executor.js';
import { shQuote } from './quote.js';

/**
 * Tracked tasks (DESIGN.md §6): commands that run detached on a target under
 * `<outputs_dir>/_tasks/<task_id>/` (command.sh, stdout.log, status.json), kept by
 * configs/task-wrapper.sh, so a dropped connection loses nothing. Built on the Executor port only.
 */

/** `$OPS_REMOTE_OUTPUTS_DIR` (the seed's name for it) when set, else `~/.gantry/outputs` on the target. */
export const defaultOutputsDir = (env: NodeJS.ProcessEnv) => env.OPS_REMOTE_OUTPUTS_DIR || '~/.gantry/outputs';

export type TaskRunnerChoice = 'auto' | TaskRunner;
export const TASK_RUNNER_CHOICES: readonly TaskRunnerChoice[] = ['auto', 'tmux', 'setsid'];
/** The tmux session that holds one window per task. */
export const TMUX_SESSION = 'gantry';

export interface TaskStartRequest {
  id: string;
  /** Shell command line, run by /bin/sh as command.sh. */
  command: string;
  /** 0 or absent: no timeout. On expiry the whole process group is ended (TERM, KILL after 5 s). */
  timeoutSecs?: number;
  /** auto: tmux when the target has it, else setsid. */
  runner?: TaskRunnerChoice;
  /** Hold the task until the task with this id has ended (however it ended), then start it. */
  after?: string;
}

export interface StartedTask {
  id: string;
  /** The task folder on the target, absolute. */
  dir: string;
  runner: TaskRunner;
  /** Created and waiting for the task it follows (`after`), not started yet. */
  held: boolean;
}

export type KillOutcome = 'killed' | 'not-running' | 'missing';

/** One task of a batch start: started, or why not (`alreadyExists`: the id names a task that is there). */
export type StartResult = { id: string; started: StartedTask } | { id: string; alreadyExists: boolean; error: GantryError };

export interface LogChunk {
  data: Buffer;
  offset: number;
  nextOffset: number;
  /** Size of stdout.log when read. */
  size: number;
  /** Status sampled before the bytes were read: when terminal, `size` is the final size. */
  status: TaskStatus;
}

/** Largest command accepted: sshd passes the whole remote command line as one argument (Linux: 128 KiB). */
const MAX_COMMAND_BYTES = 64 << 10;
const READ_CHUNK_BYTES = 1 << 20;
/** Consecutive dropped reads tolerated before giving up (each reconnect is itself retried with backoff). */
const READ_RETRIES = 5;
const KILL_GRACE_SECS = 5;
/** Task ids per remote kill command (the ids travel on its command line). */
const KILL_BATCH = 400;
const EXIT = { NO_TASK: 3, MISSING_TOOL: 4, EXISTS: 17 } as const;
/** Ends the here-document that carries the wrapper's own text (no line of the wrapper is this). */
const WRAPPER_END = 'GANTRY_TASK_WRAPPER_END';

let wrapperText: string | undefined;
const wrapper = () => (wrapperText ??= readFileSync(join(SHIPPED_CONFIGS, 'task-wrapper.sh'), 'utf8'));

export const isTerminal = (s: TaskStatus) => TERMINAL_TASK_STATES.includes(s.state);

/** Created with `after` and not started yet: it waits for that task to end. */
export const isHeld = (s: TaskStatus) => s.state === 'pending' && s.after !== null;

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new GantryError(ExitCode.INTERRUPTED, `canceled while ${what}`);
}

/** Splits `n` newline-terminated header lines off the front of a buffer. */
function headerLines(buf: Buffer, n: number): { lines: string[]; rest: Buffer } {
  const lines: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const nl = buf.indexOf(0x0a, at);
    if (nl === -1) throw new GantryError(ExitCode.INTERNAL, 'the task wrapper answered with a truncated reply');
    lines.push(buf.subarray(at, nl).toString('utf8'));
    at = nl + 1;
  }
  return { lines, rest: buf.subarray(at) };
}

export class TrackedTasks {
  readonly outputsDir: string;

  constructor(
    private readonly executor: Executor,
    opts: { outputsDir?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.outputsDir = opts.outputsDir ?? defaultOutputsDir(opts.env ?? process.env);
  }

  /** Where the task's files are, as the user would write it (`~` unexpanded). */
  taskDir(id: string): string {
    return `${this.outputsDir}/_tasks/${id}`;
  }

  /** Creates the task folder and launches the task detached. Never retried: it may have started. */
  async start(req: TaskStartRequest): Promise<StartedTask> {
    const [result] = await this.startMany([req]);
    if ('error' in result!) throw result.error;
    return result!.started;
  }

  /**
   * Starts a batch of tasks with one remote command, in order; one result per request. Every request is
   * checked before anything starts. A task id already in use is a result (`alreadyExists`), not a start,
   * so sending a batch again after a dropped connection never starts a task twice.
   */
  async startMany(reqs: readonly TaskStartRequest[]): Promise<StartResult[]> {
    const lines = reqs.map((req) => {
      const id = this.checkId(req.id);
      if (req.command.trim() === '') throw new GantryError(ExitCode.USAGE, 'the task command is empty', { hint: "pass --cmd '<command>'" });
      if (Buffer.byteLength(req.command) > MAX_COMMAND_BYTES)
        throw new GantryError(ExitCode.USAGE, `the task command is longer than ${MAX_COMMAND_BYTES} bytes`, {
          hint: 'upload a script to the target and run that instead',
        });
      const timeout = req.timeoutSecs ?? 0;
      if (!Number.isInteger(timeout) || timeout < 0)
        throw new GantryError(ExitCode.USAGE, `task timeout must be a whole number of seconds, got ${timeout}`);
      const after = req.after === undefined ? '-' : this.checkId(req.after);
      // `end` marks a whole line: the wrapper skips one cut short in transit.
      return `start_task ${id} ${timeout} ${req.runner ?? 'auto'} ${after} ${shQuote(req.command)} end\n`;
    });
    if (lines.length === 0) return [];
    const twice = reqs.find((r, i) => reqs.findIndex((o) => o.id === r.id) !== i);
    if (twice) throw new GantryError(ExitCode.USAGE, `task id "${twice.id}" is given twice in one start`, { hint: 'give every task its own id' });
    // The wrapper copies itself into each task folder: it gets its own text from a here-document.
    const itself = `wrapper=$(cat <<'${WRAPPER_END}'\n${wrapper()}\n${WRAPPER_END}\n)\n`;
    const out = await this.call('start', [this.outputsDir], reqs.length === 1 ? reqs[0]!.id : undefined, itself + lines.join(''));
    // One line per task, "CODE<TAB>ID<TAB>folder or message<TAB>runner<TAB>started|held", in no set order.
    const answers = new Map(
      out
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          const fields = l.split('\t');
          return [fields[1]!, fields] as const;
        }),
    );
    return reqs.map((req) => {
      const answer = answers.get(req.id);
      if (!answer) throw new GantryError(ExitCode.INTERNAL, `the task wrapper gave no answer for task ${req.id} (${answers.size} of ${reqs.length} answered)`);
      const [code, id, detail, runner, how] = answer as [string, string, string, string, string];
      if (code === '0') return { id, started: { id, dir: detail, runner: runner as TaskRunner, held: how === 'held' } };
      const error =
        Number(code) === EXIT.NO_TASK
          ? new GantryError(ExitCode.NOT_FOUND, `task ${id} cannot wait for task "${req.after}": there is no such task on ${this.executor.target}`, {
              where: `${this.executor.target}:${this.outputsDir}/_tasks`,
              hint: 'start the task it should follow first, or leave out --after',
            })
          : this.failure(Number(code), id, detail);
      return { id, alreadyExists: Number(code) === EXIT.EXISTS, error };
    });
  }

  /** The task's status; a task whose wrapper vanished before finishing is reported failed ("lost"). */
  async status(id: string): Promise<TaskStatus> {
    const out = await this.readOnly(() => this.call('status', [this.outputsDir, this.checkId(id)], id));
    const { lines } = headerLines(out, 2);
    return this.parseStatus(id, lines[0], lines[1]);
  }

  async list(): Promise<TaskStatus[]> {
    const out = await this.readOnly(() => this.call('list', [this.outputsDir]));
    return out
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [alive, json] = l.split('\t');
        return this.parseStatus('?', alive, json);
      })
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.task_id.localeCompare(b.task_id));
  }

  /** Up to `maxBytes` of stdout.log from byte `offset`, with the status sampled just before. */
  async readLog(id: string, offset = 0, maxBytes = READ_CHUNK_BYTES): Promise<LogChunk> {
    if (!Number.isInteger(offset) || offset < 0) throw new GantryError(ExitCode.USAGE, `log offset must be a whole number, got ${offset}`);
    const out = await this.readOnly(() => this.call('read', [this.outputsDir, this.checkId(id), String(offset), String(maxBytes)], id));
    const { lines, rest } = headerLines(out, 3);
    const size = Number(lines[2]);
    if (offset > size)
      throw new GantryError(ExitCode.USAGE, `offset ${offset} is past the end of the log (${size} bytes)`, {
        where: `${this.executor.target}:${this.taskDir(id)}/stdout.log`,
      });
    return { data: rest, offset, nextOffset: offset + rest.length, size, status: this.parseStatus(id, lines[0], lines[1]) };
  }

  /**
   * Streams stdout.log from `offset` until the task has ended and every byte was delivered. Offsets
   * only advance over bytes actually received, so after a reconnect the tail resumes exactly there:
   * nothing is lost and nothing is repeated.
   */
  async followLog(
    id: string,
    opts: { offset?: number; onData: (data: Buffer, nextOffset: number) => void; signal?: AbortSignal; pollMs?: number },
  ): Promise<TaskStatus> {
    const idle = opts.pollMs ?? 250;
    let offset = opts.offset ?? 0;
    let delay = idle;
    for (;;) {
      throwIfAborted(opts.signal, `following the log of task ${id}`);
      const chunk = await this.readLog(id, offset);
      if (chunk.data.length > 0) {
        offset = chunk.nextOffset;
        opts.onData(chunk.data, offset);
        delay = idle;
      }
      if (isTerminal(chunk.status) && offset >= chunk.size) return chunk.status;
      if (chunk.data.length < READ_CHUNK_BYTES) {
        await pause(delay, opts.signal);
        delay = Math.min(delay * 1.5, 2000);
      }
    }
  }

  /** Resolves with the final status; throws GantryError(TIMEOUT) when `timeoutMs` runs out first. */
  async wait(id: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TaskStatus> {
    const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
    let delay = 200;
    for (;;) {
      throwIfAborted(opts.signal, `waiting for task ${id}`);
      const status = await this.status(id);
      if (isTerminal(status)) return status;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new GantryError(ExitCode.TIMEOUT, `task ${id} is still ${status.state} after ${Math.round(opts.timeoutMs! / 1000)} s`, {
          where: `${this.executor.target}:${this.taskDir(id)}`,
          hint: `wait again, or end it with \`gantry task kill --target ${this.executor.target} --id ${id}\``,
        });
      await pause(Math.min(delay, left), opts.signal);
      delay = Math.min(delay * 1.5, 2000);
    }
  }

  /** Ends the task's whole process group (TERM, then KILL after the grace period); returns its final status. */
  async kill(id: string, graceSecs = KILL_GRACE_SECS): Promise<{ signalled: boolean; status: TaskStatus }> {
    const outcome = (await this.killMany([id], graceSecs)).get(id);
    if (outcome !== 'killed' && outcome !== 'not-running') throw this.failure(EXIT.NO_TASK, id, '');
    // The wrapper records the end once the group is gone; a lost wrapper is reported as such by status().
    const status = await this.wait(id, { timeoutMs: (graceSecs + 10) * 1000 });
    return { signalled: outcome === 'killed', status };
  }

  /**
   * Ends many tasks with one remote command per KILL_BATCH: each process group gets TERM, the grace
   * period is waited once for all, then KILL. A held task is ended before it starts. Kill the tasks
   * held behind others first (last first), so that no ending task starts one that is about to be killed.
   */
  async killMany(ids: readonly string[], graceSecs = KILL_GRACE_SECS): Promise<Map<string, KillOutcome>> {
    ids.forEach((id) => this.checkId(id));
    const outcomes = new Map<string, KillOutcome>();
    for (let i = 0; i < ids.length; i += KILL_BATCH) {
      const out = await this.call('kill', [this.outputsDir, String(graceSecs), ...ids.slice(i, i + KILL_BATCH)]);
      for (const line of out.toString('utf8').split('\n')) {
        const [id, outcome] = line.split('\t');
        if (id && outcome) outcomes.set(id, outcome as KillOutcome);
      }
    }
    return outcomes;
  }

  private checkId(id: string): string {
    const parsed = SafeId.safeParse(id);
    if (!parsed.success)
      throw new GantryError(ExitCode.USAGE, `"${id}" is not a valid task id: ${parsed.error.issues[0]?.message}`, {
        hint: 'use letters, digits, ".", "_", ":" and "-", starting with a letter or digit',
      });
    return id;
  }

  /** Reads are safe to ask again after a dropped connection; the transport reconnects (with backoff) meanwhile. */
  private async readOnly<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (e) {
        if (!isTransportError(e) || e.connectFailed || attempt >= READ_RETRIES) throw e;
      }
    }
  }

  /** Runs one verb of the wrapper; `script` is appended to it on stdin (the start_task lines). */
  private async call(verb: string, args: string[], id?: string, script = ''): Promise<Buffer> {
    const r = await this.executor.run(['sh', '-s', '--', verb, ...args], {
      stdin: script ? wrapper() + '\n' + script : wrapper(),
      maxCaptureBytes: READ_CHUNK_BYTES + (64 << 10),
    });
    if (r.exitCode === 0) return r.stdout;
    throw this.failure(r.exitCode, id, r.stderr.toString('utf8').trim(), verb, r.signal);
  }

  private failure(code: number | null, id: string | undefined, said: string, verb = 'start', signal: string | null = null): GantryError {
    const where = `${this.executor.target}:${id ? this.taskDir(id) : `${this.outputsDir}/_tasks`}`;
    switch (code) {
      case EXIT.NO_TASK:
        return new GantryError(ExitCode.NOT_FOUND, `no task "${id}" on ${this.executor.target}`, {
          where,
          hint: `list the tasks with \`gantry task list --target ${this.executor.target}\` (and the same --outputs-dir)`,
        });
      case EXIT.EXISTS:
        return new GantryError(ExitCode.USAGE, `task id "${id}" is already used on ${this.executor.target}`, {
          where,
          hint: 'choose another --id, or remove the old task folder',
        });
      case EXIT.MISSING_TOOL:
        return new GantryError(ExitCode.FAILED, `the target cannot run tracked tasks: ${said}`, { where, hint: 'install it on the target' });
      default:
        return new GantryError(ExitCode.FAILED, `task ${verb} failed on ${this.executor.target} (exit ${code ?? signal}): ${said}`, { where });
    }
  }

  private parseStatus(id: string, alive: string, json: string): TaskStatus {
    let status: TaskStatus;
    try {
      status = TaskStatus.parse(JSON.parse(json));
    } catch (e) {
      throw new GantryError(ExitCode.INVALID_INPUT, `status.json of task ${id} is not a valid task status: ${(e as Error).message}`, {
        where: `${this.executor.target}:${this.taskDir(id)}/status.json`,
      });
    }
    if (!isTerminal(status) && alive === 'dead')
      return {
        ...status,
        state: 'failed',
        reason: `lost: its wrapper (pid ${status.wrapper_pid}) is gone but the task never finished (host rebooted or wrapper killed)`,
      };
    return status;
  }
}
