import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { DeterministicResult, PhaseEvidence, PhaseVerdict } from '../../../contracts/flow.js';
import type { StepDef } from '../../../contracts/workflow.js';
import { configSha } from '../config.js';
import { INTENT_MODE } from '../constitution.js';
import { envOf, type FlowSession, type PhaseOutcome } from '../session.js';
import { auditEvidence } from './auditor.js';
import { runExternalAuditor } from './external-auditor.js';

type Check = DeterministicResult['checks'][number];

function parses(path: string): boolean {
  try {
    if (path.endsWith('.json')) JSON.parse(readFileSync(path, 'utf8'));
    return existsSync(path);
  } catch {
    return false;
  }
}

/** The config as it is now: a court judges the present file, so an edit mid-flow shows as drift. */
function configNow(s: FlowSession): { sha: string; raw: Record<string, string> } {
  const sha = configSha(s.choice.path) ?? 'missing';
  let raw: Record<string, string> = {};
  try {
    raw = parseDotenv(readFileSync(s.choice.path));
  } catch {
    /* a vanished config is drift, reported by the sha */
  }
  return { sha, raw };
}

export function buildEvidence(s: FlowSession, step: StepDef, out: PhaseOutcome, startedAt: string): PhaseEvidence {
  const now = configNow(s);
  const extra: Partial<PhaseEvidence> = {};
  if (step.id === 'P50' || step.id === 'P60') extra.repo_url = now.raw.REPO_URL ?? '';
  if (step.id === 'P90') extra.teardown_mode = s.options.teardown;
  return {
    flow_id: s.start.flow_id,
    phase_id: step.id,
    active_config_path: s.choice.path,
    active_config_sha256: now.sha,
    command_name: out.command,
    command_rc: out.rc,
    phase_status: out.status,
    transport_hint: s.binding?.transport ?? 'none',
    intent_mode: typeof step.with.intent_mode === 'string' ? step.with.intent_mode : INTENT_MODE,
    contract_intent: step.intent ?? '',
    applicable_laws: step.laws,
    flow_start_artifact: s.startFile,
    lium_target: now.raw.LIUM_TARGET ?? '',
    ops_default_host: now.raw.OPS_DEFAULT_HOST ?? '',
    ...extra,
    phase_name: step.name,
    phase_code: out.code,
    target: s.binding?.target ?? null,
    artifact: out.artifact,
    message: out.message,
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    details: out.details,
  };
}

function deterministic(s: FlowSession, step: StepDef, out: PhaseOutcome, evidence: PhaseEvidence): DeterministicResult {
  const checks: Check[] = [
    { check: 'exit_status', pass: out.rc === 0 && out.status !== 'fail', detail: `rc=${out.rc} status=${out.status}${out.message ? `: ${out.message}` : ''}` },
    { check: 'timeout', pass: !out.timedOut, detail: out.timedOut ? 'the phase ran out of time' : 'within its time bound' },
    {
      check: 'outputs',
      pass: out.outputs.every(parses),
      detail: out.outputs.length ? out.outputs.map((o) => `${relative(s.ws.projectRoot, o)}: ${parses(o) ? 'ok' : 'missing or unparsable'}`).join('; ') : 'none required',
    },
    {
      check: 'fsm_transition',
      pass: out.fsm?.legal ?? true,
      detail: out.fsm ? `${out.fsm.from} -> ${out.fsm.to}: ${out.fsm.legal ? 'legal' : 'illegal'}` : 'no transition',
    },
    {
      check: 'config_unchanged',
      pass: evidence.active_config_sha256 === s.start.active_config_sha256,
      detail: `sha256 at start ${s.start.active_config_sha256}, now ${evidence.active_config_sha256}`,
    },
    {
      check: 'target_unchanged',
      pass: !s.binding || !s.exec || s.exec.target === s.binding.target,
      detail: s.binding ? `bound ${s.binding.target}${s.exec ? `, executing on ${s.exec.target}` : ''}` : 'not bound yet',
    },
  ];
  return { phase: step.id, status: checks.every((c) => c.pass) ? 'pass' : 'fail', checks, checked_at: new Date().toISOString() };
}

function nextCommand(s: FlowSession, det: DeterministicResult, violations: string[]): string | null {
  const failed = (name: string) => det.checks.some((c) => c.check === name && !c.pass);
  if (failed('config_unchanged')) return `restore ${s.choice.path} to sha256 ${s.start.active_config_sha256}, or start a new flow with the edited config: gantry flow`;
  if (violations.some((v) => v.startsWith('auditor'))) return 'check WF_SUBAGENT_VALIDATOR_CMD (it must write a verdict within WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS), then: gantry flow';
  return `gantry run show ${s.writer.runId}   # then fix the cause and re-run: gantry flow`;
}

/**
 * The phase-end court (DESIGN §4, LAW_9): evidence, deterministic checks, constitutional audit, merged
 * verdict — four files under record/phases/ and a court.verdict event.
 */
export async function holdCourt(s: FlowSession, step: StepDef, out: PhaseOutcome, startedAt: string): Promise<PhaseVerdict> {
  const { writer } = s;
  const rel = (kind: string) => `phases/phase.${step.id}.${kind}.json`;
  const evidence = buildEvidence(s, step, out, startedAt);
  // The four files share record/phases/: the verdict's folder fsync makes all four durable.
  const evidencePath = writer.writeRecordJson(rel('evidence'), evidence, false);
  const det = deterministic(s, step, out, evidence);
  const detPath = writer.writeRecordJson(rel('deterministic'), det, false);
  const validator = s.env?.WF_SUBAGENT_VALIDATOR_CMD ?? '';
  const constitutional = validator
    ? await runExternalAuditor({
        command: validator,
        timeoutSecs: Number(envOf(s).WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS),
        evidencePath,
        outputPath: join(writer.paths.logs, 'auditor', `phase.${step.id}.output.json`),
        phase: step.id,
        cwd: s.ws.projectRoot,
        signal: s.signal,
      })
    : auditEvidence(evidencePath, step.id);
  const constPath = writer.writeRecordJson(rel('constitutional'), constitutional, false);
  const verdict = det.status === 'pass' && constitutional.status === 'pass' ? 'pass' : constitutional.status === 'unverified' ? 'unverified' : 'fail';
  const violatedLaws = [...new Set([...constitutional.violated_laws, ...(det.status === 'fail' ? lawsOfDeterministic(det) : [])])];
  const violations = [...det.checks.filter((c) => !c.pass).map((c) => `${c.check}: ${c.detail}`), ...constitutional.violations];
  const phaseVerdict: PhaseVerdict = {
    phase: step.id,
    verdict,
    court: verdict === 'pass' ? 'pass' : 'fail',
    det: det.status,
    const: constitutional.status,
    enforced: (s.env?.WF_PHASE_COURT_ENFORCE ?? '1') === '1',
    violated_laws: violatedLaws,
    violations,
    evidence: evidencePath,
    deterministic: detPath,
    constitutional: constPath,
    next_command: verdict === 'pass' ? null : nextCommand(s, det, constitutional.violations),
    decided_at: new Date().toISOString(),
  };
  const verdictPath = writer.writeRecordJson(rel('verdict'), phaseVerdict);
  writer.append({
    type: 'court.verdict',
    step: step.id,
    det: det.status,
    const: constitutional.status,
    verdict,
    violated_laws: violatedLaws,
    verdict_file: verdictPath,
    next_command: phaseVerdict.next_command,
  });
  return phaseVerdict;
}

function lawsOfDeterministic(det: DeterministicResult): string[] {
  const laws: string[] = ['LAW_9_PHASE_END_CONSTITUTIONAL_VALIDATION'];
  for (const c of det.checks) {
    if (c.pass) continue;
    if (c.check === 'config_unchanged') laws.push('LAW_1_CANONICAL_CONFIG');
    else if (c.check === 'target_unchanged') laws.push('LAW_3_TARGET_RESOLUTION');
    else laws.push('LAW_5_PHASE_CONTRACT');
  }
  return laws;
}
