import type { StepStatus } from '../../contracts/common.js';
import { ExitCode, isGantryError } from '../../contracts/errors.js';
import type { StepDef } from '../../contracts/workflow.js';
import type { RunContext, StepOutcome } from '../engine/step-handler.js';

export interface StepEnd {
  status: StepStatus;
  code: number;
  artifact: string | null;
  message: string;
}

/**
 * Runs one phase step between `step.started` and `step.finished` (with its duration). A `fail` halts the
 * workflow. A user error is recorded as a fatal error of the step before it ends the run; a cancel
 * leaves the step running in the record, as it was when the signal came.
 */
export async function recordStep(step: StepDef, ctx: RunContext, body: () => Promise<StepEnd>): Promise<StepOutcome> {
  const { writer } = ctx;
  const t0 = Date.now();
  writer.append({ type: 'step.started', step: step.id, name: step.name, kind: step.kind });
  let end: StepEnd;
  try {
    end = await body();
  } catch (e) {
    if (!ctx.signal.aborted && isGantryError(e)) {
      writer.append({ type: 'error.recorded', tier: 'fatal', step: step.id, message: e.message });
      writer.append({ type: 'step.finished', step: step.id, status: 'fail', code: e.code, artifact: null, duration_ms: Date.now() - t0, message: e.message });
    }
    throw e;
  }
  writer.append({ type: 'step.finished', step: step.id, ...end, duration_ms: Date.now() - t0 });
  return { halt: end.status === 'fail', reason: end.status === 'fail' ? `${step.id} ${step.name}: ${end.message}` : null };
}

export const ok = (message: string, artifact: string | null = null, code: number = ExitCode.OK): StepEnd => ({ status: 'ok', code, artifact, message });
export const failed = (message: string, artifact: string | null = null, code: number = ExitCode.FAILED): StepEnd => ({ status: 'fail', code, artifact, message });
