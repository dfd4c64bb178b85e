import { resolve } from 'node:path';
import type { ErrorTier } from '../../contracts/common.js';
import { ExitCode, isGantryError } from '../../contracts/errors.js';
import type { StepDef } from '../../contracts/workflow.js';
import type { StepHandler } from '../engine/step-handler.js';
import { isTransportError } from '../exec/errors.js';
import { tickChecklist } from './checklist.js';
import { CODES } from './constitution.js';
import { holdCourt } from './court/court.js';
import { PhaseFailure, type FlowSession, type PhaseOutcome } from './session.js';

export type PhaseFn = (s: FlowSession, step: StepDef) => Promise<PhaseOutcome>;

/** Phases that are re-run on every attempt: they mutate nothing and re-check what later phases rely on. */
const ALWAYS_RUN = new Set(['precheck', 'summary']);

/** The code of a failure that did not name its own: the phase family's "unexpected" code (x98), or a typed one. */
function codeOf(e: unknown, step: StepDef): number {
  if (e instanceof PhaseFailure) return e.code;
  if (isTransportError(e)) return CODES.TARGET_UNREACHABLE;
  if (isGantryError(e) && e.code === ExitCode.POLICY) return CODES.CONSENT_MISSING;
  return (step.failure_family ?? 100) + 98;
}

function tierOf(e: unknown): ErrorTier {
  if (e instanceof PhaseFailure) return e.tier;
  return isGantryError(e) && e.code === ExitCode.POLICY ? 'policy' : 'fatal';
}

function failure(e: unknown, step: StepDef): PhaseOutcome {
  const message = isGantryError(e) ? [e.message, e.hint ? `fix: ${e.hint}` : ''].filter(Boolean).join(' — ') : (e as Error).message;
  const pf = e instanceof PhaseFailure ? e : undefined;
  return {
    status: 'fail',
    code: codeOf(e, step),
    command: pf?.command ?? step.command_names[0] ?? step.kind,
    rc: 1,
    message,
    artifact: null,
    details: pf?.details ?? {},
    outputs: [],
    fsm: pf?.fsm,
  };
}

/** The code the summary reports for a phase that itself went fine but whose court did not pass. */
function courtCode(violations: string[], unverified: boolean): number {
  if (violations.some((v) => v.startsWith('config_unchanged') || v.startsWith('active config changed'))) return CODES.CONFIG_DRIFT;
  if (violations.some((v) => v.startsWith('target_unchanged') || v.startsWith('target settings changed'))) return CODES.TARGET_DRIFT;
  return unverified ? CODES.COURT_UNVERIFIED : CODES.COURT_FAILED;
}

/**
 * Turns a phase into an engine step: step.started, the phase, step.finished (the PHASE= line), the court
 * (the COURT= line), the checklist. A phase that fails, or whose court does not pass while
 * WF_PHASE_COURT_ENFORCE=1, halts the flow. On a resumed flow, a phase that already passed its court is
 * not repeated: its remote effects stand (FSM, tracked tasks) and its evidence is in the record.
 */
export function phaseHandler(s: FlowSession, fn: PhaseFn): StepHandler {
  return async (step) => {
    const { writer } = s;
    const before = writer.record?.phases.find((p) => p.step === step.id);
    if (s.attempt > 1 && !ALWAYS_RUN.has(step.kind) && before?.verdict === 'pass' && (before.status === 'ok' || before.status === 'skip')) {
      writer.append({ type: 'note', step: step.id, message: `${step.id} passed in an earlier attempt (${before.status}, code ${before.code}); not repeated` });
      return { halt: false, reason: null };
    }
    const startedAt = new Date().toISOString();
    const t0 = Date.now();
    writer.append({ type: 'step.started', step: step.id, name: step.name, kind: step.kind });
    let out: PhaseOutcome;
    try {
      out = await fn(s, step);
    } catch (e) {
      if (s.signal.aborted) throw e;
      out = failure(e, step);
      writer.append({ type: 'error.recorded', tier: tierOf(e), step: step.id, message: out.message ?? 'failed' });
    }
    writer.append({
      type: 'step.finished',
      step: step.id,
      status: out.status,
      code: out.code,
      artifact: out.artifact,
      duration_ms: Date.now() - t0,
      message: out.message,
    });
    const verdict = await holdCourt(s, step, out, startedAt);
    const passed = verdict.verdict === 'pass';
    const checklist = s.env?.WF_CHECKLIST_PATH;
    if (checklist)
      tickChecklist(resolve(s.ws.projectRoot, checklist), step.id, passed, `${step.id} STATUS=${out.status} CODE=${out.code} COURT=${verdict.court}`);
    if (out.status === 'fail') {
      s.halted = { phase: step.id, code: out.code, reason: `${step.id} failed with code ${out.code}: ${out.message ?? ''}`.trim() };
      return { halt: true, reason: s.halted.reason };
    }
    if (!passed && verdict.enforced) {
      const code = courtCode(verdict.violations, verdict.verdict === 'unverified');
      writer.append({ type: 'error.recorded', tier: 'policy', step: step.id, message: `court ${verdict.verdict} (code ${code}): ${verdict.violations.join('; ')}` });
      s.halted = { phase: step.id, code, reason: `${step.id} court ${verdict.verdict} (code ${code}): ${verdict.violations.join('; ')}` };
      return { halt: true, reason: s.halted.reason };
    }
    return { halt: false, reason: null };
  };
}
