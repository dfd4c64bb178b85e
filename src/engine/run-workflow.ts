import { ExitCode, GantryError, isGantryError } from '../../contracts/errors.js';
import type { RunStatus } from '../../contracts/common.js';
import type { RunContext, StepHandlers } from './step-handler.js';
import { runGateStep } from './steps/gate-step.js';

/** Step kinds every workflow can use; richer engines (the flow) add their own. */
export const GATE_HANDLERS: StepHandlers = { gate: runGateStep, approval: runGateStep };

export interface WorkflowResult {
  status: RunStatus;
  reason: string | null;
  /** Set when a user-facing error ended the run (policy violation, bad contract, ...). */
  error?: GantryError;
}

function skipped(ctx: RunContext, when: { option: string; in: string[] } | undefined): boolean {
  return when !== undefined && when.in.includes(ctx.options[when.option] ?? '');
}

/**
 * Runs every step of a workflow in order until one halts. Always closes the run with run.finished:
 * PASSED, FAILED (a step halted or a user error ended it), or CANCELED (signal).
 */
export async function runWorkflow(ctx: RunContext, handlers: StepHandlers = GATE_HANDLERS): Promise<WorkflowResult> {
  const { writer } = ctx;
  const finish = (result: WorkflowResult): WorkflowResult => {
    writer.append({ type: 'run.finished', status: result.status, reason: result.reason });
    return result;
  };
  const done = new Set((writer.record?.gates ?? []).filter((g) => g.status === 'PASS').map((g) => g.gate));
  try {
    for (const step of ctx.def.steps) {
      if (done.has(step.id)) continue;
      if (ctx.signal.aborted) break;
      if (skipped(ctx, step.skip_when)) {
        writer.append({ type: 'note', step: step.id, message: `skipped: ${step.skip_when!.option}=${ctx.options[step.skip_when!.option]}` });
        continue;
      }
      const handler = handlers[step.kind];
      if (!handler)
        throw new GantryError(ExitCode.INVALID_INPUT, `step ${step.id} has kind "${step.kind}", which this command cannot run`, {
          hint: 'run phase workflows with `gantry flow`',
        });
      const outcome = await handler(step, ctx);
      if (outcome.halt) return finish({ status: 'FAILED', reason: outcome.reason });
    }
  } catch (e) {
    if (ctx.signal.aborted) return finish({ status: 'CANCELED', reason: `canceled by ${String(ctx.signal.reason ?? 'signal')}` });
    if (isGantryError(e)) return finish({ status: 'FAILED', reason: e.message, error: e });
    finish({ status: 'FAILED', reason: `internal error: ${(e as Error).message}` });
    throw e;
  }
  if (ctx.signal.aborted) return finish({ status: 'CANCELED', reason: `canceled by ${String(ctx.signal.reason ?? 'signal')}` });
  return finish({ status: 'PASSED', reason: null });
}
