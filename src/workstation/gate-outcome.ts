import { existsSync, statSync } from 'node:fs';
import type { Attempt, ArtifactRecord, ValidationResult } from '../../contracts/attempt.js';
import type { GateContract } from '../../contracts/gate-contract.js';
import { completeAttempt, pathVars } from '../engine/gate-ops.js';
import { resolveOutputPath } from '../engine/output-paths.js';
import { sha256File } from '../records/hash.js';
import type { RunWriter } from '../records/run-writer.js';
import { runValidation } from '../validators/run-validation.js';

async function artifactOf(template: string, abs: string, display: string): Promise<ArtifactRecord> {
  const exists = existsSync(abs) && statSync(abs).isFile();
  return { path: template, resolved: display, exists, sha256: exists ? await sha256File(abs) : null, bytes: exists ? statSync(abs).size : null };
}

/**
 * Closes a gate whose work gantry itself did: the contract's outputs (present, hashed) and validations,
 * plus the step's own judgement (`checks`). PASS only when all of them pass.
 */
export async function closeGate(w: RunWriter, gate: string, contract: GateContract, projectRoot: string, checks: ValidationResult[]): Promise<Attempt> {
  const vars = pathVars(w.record!, w.paths.dir);
  const outputs = contract.required_outputs.map((t) => resolveOutputPath(t, vars, projectRoot));
  const artifacts = await Promise.all(outputs.map((p) => artifactOf(p.template, p.abs, p.display)));
  const validations: ValidationResult[] = [
    ...artifacts.map((a): ValidationResult => ({ type: 'file_exists', path: a.resolved, pass: a.exists, severity: 'fail', detail: a.exists ? 'exists' : 'file does not exist' })),
    ...contract.validations.map((v) => {
      const p = resolveOutputPath(v.path, vars, projectRoot);
      return runValidation(v, p.abs, p.display);
    }),
    ...checks,
  ];
  const failed = validations.filter((v) => !v.pass && v.severity === 'fail');
  return completeAttempt(w, gate, {
    status: failed.length === 0 ? 'PASS' : 'FAIL',
    artifacts,
    validations,
    failure_reason: failed.length ? failed.map((v) => `${v.type} ${v.path}: ${v.detail}`).join('; ') : null,
    required_outputs: contract.required_outputs,
  });
}
