import { readFileSync } from 'node:fs';
import type { ConstitutionalVerdict } from '../../../contracts/flow.js';
import { INTENT_MODE, LAWS, PHASE_CONTRACTS, REQUIRED_EVIDENCE_FIELDS } from '../constitution.js';

export const BUILTIN_ENGINE = 'gantry-builtin-auditor/1';

type Json = Record<string, unknown>;

function readJson(path: string): Json | string {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : `${path} is not a JSON object`;
  } catch (e) {
    return `cannot read ${path}: ${(e as Error).message}`;
  }
}

export function unverified(phase: string, engine: string, why: string): ConstitutionalVerdict {
  return {
    phase,
    status: 'unverified',
    pass: false,
    violations: [why],
    violated_laws: [LAWS[9]],
    checked_at: new Date().toISOString(),
    engine,
    remediation: 'fix the auditor or its inputs and re-run `gantry flow`; an unverified phase always halts the flow',
  };
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * The reference auditor's checks, per phase (seeds/README.md): required fields, the declared intent and
 * command names, the applicable laws, rc 0 and status ok, no drift of config sha256 or target from
 * flow.start.json, P20 resolved a target, P50/P60 know the repo URL, P90's mode is keep or delete.
 * A missing or unparsable evidence or flow.start file is `unverified`, never a pass.
 */
export function auditEvidence(evidencePath: string, phase: string): ConstitutionalVerdict {
  const ev = readJson(evidencePath);
  if (typeof ev === 'string') return unverified(phase, BUILTIN_ENGINE, ev);
  const startPath = ev.flow_start_artifact;
  const start = typeof startPath === 'string' ? readJson(startPath) : 'evidence names no flow_start_artifact';
  if (typeof start === 'string') return unverified(phase, BUILTIN_ENGINE, start);

  const found: { law: string; what: string; fix: string }[] = [];
  const add = (law: string, what: string, fix: string) => found.push({ law, what, fix });
  for (const f of REQUIRED_EVIDENCE_FIELDS)
    if (!present(ev[f])) add(LAWS[6], `evidence field ${f} is missing`, 'gantry writes every required field; report this as a bug');
  const contract = PHASE_CONTRACTS[phase];
  if (!contract) add(LAWS[5], `phase ${phase} has no contract`, 'use the phases P00..P99 of remote-experiment');
  if (ev.phase_id !== phase) add(LAWS[6], `evidence is for phase ${String(ev.phase_id)}, not ${phase}`, 'keep evidence files per phase');
  if (ev.intent_mode !== INTENT_MODE) add(LAWS[5], `intent_mode is "${String(ev.intent_mode)}", not "${INTENT_MODE}"`, `set with.intent_mode: ${INTENT_MODE} on the step`);
  if (contract) {
    if (ev.contract_intent !== contract.intent)
      add(LAWS[5], `declared intent differs from the phase contract ("${contract.intent}")`, 'restore the verbatim intent in the workflow definition');
    if (!contract.commands.includes(String(ev.command_name)))
      add(LAWS[5], `command ${String(ev.command_name)} is not allowed in ${phase} (allowed: ${contract.commands.join(', ')})`, 'run the phase through `gantry flow`');
    const listed = Array.isArray(ev.applicable_laws) ? ev.applicable_laws.map(String) : [];
    const missing = contract.laws.filter((l) => !listed.includes(l));
    if (missing.length) add(LAWS[5], `applicable laws not listed: ${missing.join(', ')}`, 'list every applicable law on the step');
  }
  if (ev.command_rc !== 0 || (ev.phase_status !== 'ok' && ev.phase_status !== 'skip'))
    add(LAWS[5], `phase ended with rc ${String(ev.command_rc)} and status ${String(ev.phase_status)}`, 'see the phase evidence and its log, fix the cause, re-run `gantry flow`');
  if (ev.active_config_sha256 !== start.active_config_sha256 || ev.active_config_path !== start.active_config_path)
    add(LAWS[1], 'active config changed since flow start (path or sha256)', 'restore workflow.env, or start a new flow with the edited config');
  if (ev.lium_target !== start.lium_target || ev.ops_default_host !== start.ops_default_host)
    add(LAWS[3], 'target settings changed since flow start', 'a flow keeps its target; start a new flow to use another');
  if (phase === 'P20' && !present(ev.target)) add(LAWS[3], 'P20 resolved no target', 'set LIUM_TARGET or OPS_DEFAULT_HOST, or provision with --provision auto');
  if ((phase === 'P50' || phase === 'P60') && !present(ev.repo_url)) add(LAWS[5], `${phase} does not know the repo URL`, 'set REPO_URL in workflow.env');
  if (phase === 'P90' && ev.teardown_mode !== 'keep' && ev.teardown_mode !== 'delete')
    add(LAWS[7], `teardown mode "${String(ev.teardown_mode)}" is neither keep nor delete`, 'pass --teardown keep|delete');

  return {
    phase,
    status: found.length ? 'fail' : 'pass',
    pass: found.length === 0,
    violations: found.map((f) => f.what),
    violated_laws: [...new Set(found.map((f) => f.law))],
    checked_at: new Date().toISOString(),
    engine: BUILTIN_ENGINE,
    remediation: found.length ? [...new Set(found.map((f) => f.fix))] : null,
  };
}
