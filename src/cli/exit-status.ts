import { ExitCode } from '../../contracts/errors.js';
import type { WorkflowResult } from '../engine/run-workflow.js';

/** PASSED → 0; CANCELED → 130; FAILED → the user error's own code, else 1. */
export function exitCodeFor(r: WorkflowResult): number {
  if (r.status === 'PASSED') return ExitCode.OK;
  if (r.status === 'CANCELED') return ExitCode.INTERRUPTED;
  return r.error?.code ?? ExitCode.FAILED;
}
