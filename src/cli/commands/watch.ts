import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineEvent } from '../../../contracts/events.js';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { requireInitialised } from '../../config/workspace.js';
import type { RunPaths } from '../../records/run-paths.js';
import { existingRun, listRunIds, readRun } from '../../records/run-store.js';
import type { Command } from '../command.js';
import { FileTail } from '../console/file-tail.js';
import { runHasOwner } from '../console/run-owner.js';
import type { CliContext } from '../context.js';
import { exitCodeFor } from '../exit-status.js';
import { reporter } from '../reporter.js';

const command: Command = {
  name: 'watch',
  summary: "Follow a run another process executes, from its events.jsonl: the live cockpit in a terminal (its gates can be answered there), plain lines until it finishes otherwise.",
  usage: 'gantry watch [<run_id>] [--no-tty] [--json]      (no id: the newest RUNNING run)',
  options: {},
  positionals: true,
  async run(args, ctx) {
    const [given, ...extra] = args.positionals;
    if (extra.length) throw new GantryError(ExitCode.USAGE, 'name at most one run', { hint: `usage: ${command.usage}` });
    const ws = requireInitialised(ctx.workspace());
    const runId = given ?? newestRunning(ws.runsDir);
    const paths = existingRun(ws.runsDir, runId);
    if (ctx.tty && !ctx.json) return (await import('../console.js')).watchConsole(ctx, runId);
    return followPlain(ctx, paths);
  },
};
export default command;

function newestRunning(runsDir: string): string {
  for (const id of listRunIds(runsDir).reverse()) {
    try {
      if (readRun(runsDir, id).status === 'RUNNING') return id;
    } catch {
      // unreadable run folders are not candidates
    }
  }
  throw new GantryError(ExitCode.NOT_FOUND, `no run is RUNNING in ${runsDir}`, { hint: 'name one: `gantry watch <run_id>` (list them with `gantry run list`)' });
}

/** Prints the run's events as they are recorded; ends with the run (exit code as `gantry run` would give). */
async function followPlain(ctx: CliContext, paths: RunPaths): Promise<number> {
  const tail = new FileTail(paths.events);
  const report = reporter(ctx.json, ctx.out);
  // Seen ownerless twice in a row (not just between its last event and its lock's release), it is said once.
  let ownerless = 0;
  while (!ctx.signal.aborted) {
    for (const line of tail.pollText()) {
      const e = JSON.parse(line) as EngineEvent;
      report(e);
      if (e.type === 'run.finished') return exitCodeFor({ status: e.status, reason: e.reason });
    }
    ownerless = runHasOwner(paths) ? 0 : ownerless + 1;
    if (ownerless === 2) {
      ctx.err(`note: no process holds ${paths.dir} now; it moves only when \`gantry gate ...\` commands act on it (or after it is resumed)`);
    }
    await sleep(100, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
  return ExitCode.INTERRUPTED;
}
