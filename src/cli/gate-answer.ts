import { setTimeout as sleep } from 'node:timers/promises';
import { hostname, userInfo } from 'node:os';
import type { Attempt } from '../../contracts/attempt.js';
import type { EventOf } from '../../contracts/events.js';
import { ExitCode, GantryError, isGantryError } from '../../contracts/errors.js';
import { requireInitialised } from '../config/workspace.js';
import { readEvents } from '../records/event-log.js';
import { postAnswer } from '../records/inbox.js';
import { existingRun, readRun } from '../records/run-store.js';
import type { CliContext } from './context.js';
import { plainLine } from './reporter.js';

type Finished = EventOf<'gate.finished'>;

/**
 * `gate finish|fail` from any shell. With no live writer the answer is applied here; while a pipeline
 * owns the run (it holds the lock), the answer goes to its inbox and this waits for the recorded result.
 */
export async function answerGate(
  ctx: CliContext,
  runId: string,
  gate: string,
  action: 'finish' | 'fail',
  reason: string | null,
  applyDirectly: () => Promise<Attempt>,
): Promise<number> {
  let result: Finished | Attempt;
  try {
    result = await applyDirectly();
  } catch (e) {
    if (!isGantryError(e) || e.code !== ExitCode.LOCKED) throw e;
    result = await answerThroughInbox(ctx, runId, gate, action, reason);
  }
  return report(ctx, result);
}

async function answerThroughInbox(ctx: CliContext, runId: string, gate: string, action: 'finish' | 'fail', reason: string | null): Promise<Finished> {
  const ws = requireInitialised(ctx.workspace());
  const paths = existingRun(ws.runsDir, runId);
  const rec = readRun(ws.runsDir, runId);
  const open = rec.gates.find((g) => g.gate === gate)?.attempts.at(-1);
  if (!open || open.finished_at !== null)
    throw new GantryError(ExitCode.USAGE, `gate ${gate} of run ${runId} is not waiting for an answer`, {
      hint: `see its state with \`gantry run show --run ${runId}\``,
    });
  postAnswer(paths, gate, open.attempt, { action, reason, by: `${userInfo().username}@${hostname()} pid ${process.pid}` });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const done = readEvents(paths.events).find(
      (e): e is Finished => e.type === 'gate.finished' && e.gate === gate && e.attempt === open.attempt,
    );
    if (done) return done;
    await sleep(100, undefined, { signal: ctx.signal });
  }
  throw new GantryError(ExitCode.TIMEOUT, `the process running ${runId} did not act on the answer within 120s`, {
    where: paths.inbox,
    hint: 'check that the run is still live (`gantry run show`); the answer stays queued for it',
  });
}

function report(ctx: CliContext, r: Finished | Attempt): number {
  const pass = r.status === 'PASS';
  if (ctx.json) ctx.out(JSON.stringify(r));
  else {
    const asEvent: Finished =
      'type' in r
        ? r
        : { type: 'gate.finished', seq: 0, ts: r.finished_at ?? '', run_id: r.run_id, gate: r.gate, attempt: r.attempt, status: r.status, attempt_file: '', failure_reason: r.failure_reason, artifacts: r.artifacts, validations: r.validations };
    ctx.out(plainLine(asEvent)!);
  }
  return pass ? ExitCode.OK : ExitCode.FAILED;
}

