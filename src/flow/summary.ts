import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../contracts/errors.js';
import { FlowSummary } from '../../contracts/flow.js';
import type { WorkflowResult } from '../engine/run-workflow.js';
import { CODES } from './constitution.js';
import type { FlowSession } from './session.js';

/**
 * flow.summary.json: every phase as the record knows it, the first failing phase and its code (the
 * court's code when only the court failed), sweep counts and error tiers.
 */
export function buildSummary(s: FlowSession, result: WorkflowResult | null): FlowSummary {
  const rec = s.writer.record!;
  const phases = rec.phases.map((p) => ({ phase: p.step, name: p.name, status: p.status, code: p.code, verdict: p.verdict }));
  const canceled = result?.status === 'CANCELED';
  const failedPhase = s.halted ?? (result?.status === 'FAILED' ? firstFailing(phases) : null);
  const status: FlowSummary['status'] = canceled ? 'canceled' : failedPhase || result?.status === 'FAILED' ? 'failed' : 'passed';
  return {
    flow_id: s.start.flow_id,
    status,
    first_failing_phase: failedPhase?.phase ?? (canceled ? (rec.phases.find((p) => p.status === 'running')?.step ?? null) : null),
    first_failing_code: failedPhase?.code ?? (canceled ? CODES.INTERRUPTED : null),
    reason: failedPhase?.reason ?? result?.reason ?? null,
    target: s.binding?.target ?? null,
    attempts: s.attempt,
    phases,
    sweep: s.sweep ?? recordedSweep(s),
    errors: rec.errors,
    finished_at: new Date().toISOString(),
  };
}

/** The sweep counts P70 put in its evidence: a resumed flow whose P70 passed earlier does not monitor again. */
function recordedSweep(s: FlowSession): FlowSummary['sweep'] {
  const file = join(s.writer.paths.record, 'phases', 'phase.P70.evidence.json');
  if (!existsSync(file)) return null;
  const counts = FlowSummary.shape.sweep.safeParse((JSON.parse(readFileSync(file, 'utf8')) as { details?: unknown }).details);
  return counts.success ? counts.data : null;
}

function firstFailing(phases: { phase: string; status: string; code: number | null }[]): { phase: string; code: number; reason: string } | null {
  const p = phases.find((x) => x.status === 'fail');
  return p ? { phase: p.phase, code: p.code ?? 1, reason: `${p.phase} failed` } : null;
}

/** The exit code a flow ends with: 0, or the family of its first failing code mapped to gantry's exit codes. */
export function flowExitCode(summary: FlowSummary, result: WorkflowResult): number {
  if (summary.status === 'passed') return ExitCode.OK;
  if (summary.status === 'canceled') return ExitCode.INTERRUPTED;
  switch (summary.first_failing_code) {
    case CODES.CONFIG_INVALID:
    case CODES.SWEEP_MANIFEST_INVALID:
      return ExitCode.INVALID_INPUT;
    case CODES.OVERRIDE_REFUSED:
    case CODES.CONSENT_MISSING:
      return ExitCode.POLICY;
    case CODES.COURT_UNVERIFIED:
      return ExitCode.UNVERIFIED;
    case CODES.TARGET_UNREACHABLE:
      return ExitCode.REMOTE;
    default:
      return result.error?.code ?? ExitCode.FAILED;
  }
}
