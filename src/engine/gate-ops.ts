import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { ArtifactRecord, Attempt, ValidationResult } from '../../contracts/attempt.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { GateContract } from '../../contracts/gate-contract.js';
import type { RunRecord } from '../../contracts/run.js';
import { sha256File } from '../records/hash.js';
import { attemptPath } from '../records/run-paths.js';
import type { RunWriter } from '../records/run-writer.js';
import { runValidation } from '../validators/run-validation.js';
import { resolveOutputPath, type PathVars } from './output-paths.js';

export function pathVars(rec: RunRecord, runDir: string): PathVars {
  return { slug: rec.workflow.slug, artifact_path: rec.workflow.artifact_path, run_dir: runDir };
}

function requireRecord(w: RunWriter): RunRecord {
  if (!w.record) throw new GantryError(ExitCode.INVALID_INPUT, `run ${w.runId} has no record`);
  return w.record;
}

function gateView(rec: RunRecord, gate: string) {
  return rec.gates.find((g) => g.gate === gate);
}

function requireKnownGate(rec: RunRecord, gate: string) {
  const g = gateView(rec, gate);
  if (!g)
    throw new GantryError(ExitCode.NOT_FOUND, `run ${rec.run_id} has no gate "${gate}"`, {
      hint: `its gates: ${rec.gates.map((x) => x.gate).join(', ') || '(none)'}`,
    });
  return g;
}

/** The attempt being worked on, if any: the last one, while not finished. */
export function openAttempt(rec: RunRecord, gate: string) {
  const a = gateView(rec, gate)?.attempts.at(-1);
  return a && a.finished_at === null ? a : undefined;
}

export function startGate(w: RunWriter, gate: string, agent: string): number {
  const rec = requireRecord(w);
  if (rec.status !== 'RUNNING')
    throw new GantryError(ExitCode.FAILED, `run ${rec.run_id} is ${rec.status}; no gate can start`, {
      hint: 'start a new run with `gantry run start`',
    });
  const g = requireKnownGate(rec, gate);
  if (openAttempt(rec, gate))
    throw new GantryError(ExitCode.USAGE, `gate ${gate} already has attempt ${g.attempts.at(-1)!.attempt} open`, {
      hint: `finish it with \`gantry gate finish --run ${rec.run_id} --gate ${gate}\` or fail it with \`gantry gate fail\``,
    });
  const attempt = g.attempts.length + 1;
  w.append({ type: 'gate.started', gate, name: g.name, attempt, agent });
  return attempt;
}

export function recordInvocation(w: RunWriter, gate: string, agent: string, status: 'SUCCESS' | 'FAIL'): string {
  requireKnownGate(requireRecord(w), gate);
  const id = `inv_${Date.now()}_${Math.random().toString(16).slice(2, 6)}`;
  w.append({ type: 'invocation.recorded', invocation_id: id, gate, agent, status });
  return id;
}

function attemptBase(w: RunWriter, gate: string): { rec: RunRecord; attempt: NonNullable<ReturnType<typeof openAttempt>> } {
  const rec = requireRecord(w);
  requireKnownGate(rec, gate);
  const attempt = openAttempt(rec, gate);
  if (!attempt)
    throw new GantryError(ExitCode.USAGE, `gate ${gate} has no attempt in progress`, {
      hint: `start one with \`gantry gate start --run ${rec.run_id} --gate ${gate} --agent <name>\``,
    });
  return { rec, attempt };
}

function invocationIds(rec: RunRecord, gate: string, since: string): string[] {
  return rec.invocations.filter((i) => i.gate === gate && i.recorded_at >= since).map((i) => i.invocation_id);
}

function writeAttempt(w: RunWriter, a: Attempt): string {
  const file = attemptPath(w.paths, a.gate, a.attempt);
  w.writeRecordJson(relative(w.paths.record, file), a);
  return relative(w.paths.dir, file);
}

/**
 * Finish: resolve the contract's outputs, check each exists, run its validations, hash every existing
 * output, write attempt-<n>.json, record PASS or FAIL. `checks` are judgements of a step that did the
 * work itself (e.g. a finalize step); they count like the contract's validations.
 */
export async function finishGate(w: RunWriter, gate: string, contract: GateContract, projectRoot: string, checks: ValidationResult[] = []): Promise<Attempt> {
  const { rec, attempt } = attemptBase(w, gate);
  const vars = pathVars(rec, w.paths.dir);
  const artifacts: ArtifactRecord[] = [];
  const validations: ValidationResult[] = [];
  for (const template of contract.required_outputs) {
    const p = resolveOutputPath(template, vars, projectRoot);
    const exists = existsSync(p.abs) && statSync(p.abs).isFile();
    artifacts.push({
      path: template,
      resolved: p.display,
      exists,
      sha256: exists ? await sha256File(p.abs) : null,
      bytes: exists ? statSync(p.abs).size : null,
    });
    validations.push({ type: 'file_exists', path: p.display, pass: exists, severity: 'fail', detail: exists ? 'exists' : 'file does not exist' });
  }
  for (const v of contract.validations) {
    const p = resolveOutputPath(v.path, vars, projectRoot);
    validations.push(runValidation(v, p.abs, p.display));
  }
  validations.push(...checks);
  const failed = validations.filter((v) => !v.pass && v.severity === 'fail');
  const status = failed.length === 0 ? 'PASS' : 'FAIL';
  const failure_reason = failed.length ? failed.map((v) => `${v.type} ${v.path}: ${v.detail}`).join('; ') : null;
  return closeAttempt(w, rec, gate, attempt, { status, artifacts, validations, failure_reason, required_outputs: contract.required_outputs });
}

export function failGate(w: RunWriter, gate: string, reason: string): Attempt {
  return completeAttempt(w, gate, { status: 'FAIL', artifacts: [], validations: [], failure_reason: reason, required_outputs: [] });
}

/** Closes the open attempt with a result judged elsewhere (a gate command's exit, a court). */
export function completeAttempt(w: RunWriter, gate: string, result: AttemptResult): Attempt {
  const { rec, attempt } = attemptBase(w, gate);
  return closeAttempt(w, rec, gate, attempt, result);
}

export type AttemptResult = Pick<Attempt, 'status' | 'artifacts' | 'validations' | 'failure_reason' | 'required_outputs'>;

function closeAttempt(
  w: RunWriter,
  rec: RunRecord,
  gate: string,
  open: NonNullable<ReturnType<typeof openAttempt>>,
  result: AttemptResult,
): Attempt {
  const a: Attempt = {
    run_id: rec.run_id,
    gate,
    attempt: open.attempt,
    started_at: open.started_at,
    finished_at: new Date().toISOString(),
    agent: open.agent,
    invocation_ids: invocationIds(rec, gate, open.started_at),
    ...result,
  };
  const file = writeAttempt(w, a);
  w.append({
    type: 'gate.finished',
    gate: a.gate,
    attempt: a.attempt,
    status: a.status,
    attempt_file: file,
    failure_reason: a.failure_reason,
    artifacts: a.artifacts,
    validations: a.validations,
  });
  return a;
}
