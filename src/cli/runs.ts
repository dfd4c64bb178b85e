import { requireInitialised } from '../config/workspace.js';
import { openRun } from '../records/run-store.js';
import type { RunWriter } from '../records/run-writer.js';
import type { CliContext } from './context.js';

/** Opens a run for writing for the length of `fn`, always closing it (RUN.json flushed, lock released). */
export async function withRunWriter<T>(ctx: CliContext, runId: string, purpose: string, fn: (w: RunWriter) => Promise<T> | T): Promise<T> {
  const ws = requireInitialised(ctx.workspace());
  const w = openRun(ws.runsDir, runId, purpose);
  try {
    return await fn(w);
  } finally {
    w.close();
  }
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}
