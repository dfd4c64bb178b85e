import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { TaskStatus } from '../../contracts/task.js';
import { RunResultFile } from '../../contracts/workstation.js';
import { isTerminal, type TrackedTasks } from '../exec/index.js';
import { LineSplitter } from '../exec/lines.js';
import { AUDIT_FILES, type AuditFolder } from './audit-folder.js';

const CHUNK_BYTES = 1 << 20;

export interface RunTask {
  tasks: TrackedTasks;
  id: string;
}

export interface WatchTick {
  /** The tracked task's status (null for a run that never started its command). */
  task: TaskStatus | null;
  result: RunResultFile | null;
  logBytes: number;
  ended: boolean;
}

export interface Followed {
  task: TaskStatus | null;
  result: RunResultFile | null;
}

/**
 * Follows a run's run.log line by line (from its start, or its tail), and its task's status, until the run has ended
 * and every byte of the log was delivered. Read-only: it only reads files and asks the task's status.
 */
export async function followRun(
  folder: AuditFolder,
  task: RunTask | null,
  opts: {
    pollMs: number;
    onLine: (line: string) => void;
    onTick?: (t: WatchTick) => void;
    signal: AbortSignal;
    /** Start this many bytes before the end of the log (at a line start) instead of at its beginning. */
    tailBytes?: number;
  },
): Promise<Followed> {
  let offset = 0;
  let partial = false;
  if (opts.tailBytes !== undefined) {
    const size = (await folder.fs.readFrom(folder.path(AUDIT_FILES.log), 0, 0))?.size ?? 0;
    // One byte early: the first "line" read is then the end of the line before (empty at a line start).
    offset = Math.max(0, size - opts.tailBytes - 1);
    partial = offset > 0;
  }
  // A tail drops the line it starts inside rather than show half of it.
  const lines = new LineSplitter((line) => (partial ? (partial = false) : opts.onLine(line)));
  for (;;) {
    // Status first: when it is terminal, the log read after it is complete.
    const status = task ? await task.tasks.status(task.id) : null;
    const chunk = await folder.fs.readFrom(folder.path(AUDIT_FILES.log), offset, CHUNK_BYTES);
    if (chunk) {
      lines.push(chunk.data);
      offset += chunk.data.length;
    }
    const result = await folder.readJson(AUDIT_FILES.result, RunResultFile);
    const ended = status ? isTerminal(status) : true;
    opts.onTick?.({ task: status, result, logBytes: chunk?.size ?? 0, ended });
    if (ended && (!chunk || offset >= chunk.size)) {
      lines.end();
      return { task: status, result };
    }
    if (chunk && chunk.data.length === CHUNK_BYTES) continue;
    try {
      await sleep(opts.pollMs, undefined, { signal: opts.signal });
    } catch {
      throw new GantryError(ExitCode.INTERRUPTED, `stopped following ${folder.where}`);
    }
  }
}
