import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isGantryError } from '../../../contracts/errors.js';
import type { WorkflowEnv } from '../../../contracts/flow.js';
import { openChecklist } from '../checklist.js';
import { parseWorkflowEnv } from '../config.js';
import { CODES } from '../constitution.js';
import { PhaseFailure, ok, type FlowSession } from '../session.js';
import { readSweepCsv } from '../sweep/manifest.js';

const CMD = 'flow-precheck';

export const explicitTarget = (env: Pick<WorkflowEnv, 'LIUM_TARGET' | 'OPS_DEFAULT_HOST'>) => env.LIUM_TARGET || env.OPS_DEFAULT_HOST || '';

/** Provisioning happens when no explicit target is set and --provision auto. */
export const needsProvisioning = (s: FlowSession, env: WorkflowEnv) => !explicitTarget(env) && s.options.provision === 'auto';

const fail = (code: number, message: string, tier: 'fatal' | 'policy' = 'fatal') => new PhaseFailure(code, message, CMD, {}, tier);

function loadConfig(s: FlowSession): WorkflowEnv {
  if (s.choice.refused) throw fail(CODES.OVERRIDE_REFUSED, s.choice.refused, 'policy');
  if (!existsSync(s.choice.path)) throw fail(CODES.CONFIG_INVALID, `no config at ${s.choice.path}; run \`gantry init\` and fill it in`);
  try {
    return parseWorkflowEnv(readFileSync(s.choice.path, 'utf8'), s.choice.path);
  } catch (e) {
    if (isGantryError(e)) throw fail(CODES.CONFIG_INVALID, e.message);
    throw e;
  }
}

/**
 * P00: everything that can be known before touching the target — the config (LAW_1), consent for
 * prompt-prone actions in non-TTY mode (LAW_4), the sweep manifest, the bootstrap script. Nothing remote
 * happens before this phase passes.
 */
export async function precheck(s: FlowSession): Promise<ReturnType<typeof ok>> {
  const env = loadConfig(s);
  if (env.WF_CONSTITUTION_VERSION !== '1')
    throw fail(CODES.CONFIG_INVALID, `WF_CONSTITUTION_VERSION=${env.WF_CONSTITUTION_VERSION} is not supported (this gantry implements constitution 1)`);
  s.env = env;
  const problems: string[] = [];
  if (!env.REPO_URL) problems.push('REPO_URL is empty: P50 checks out the code from it');
  if (needsProvisioning(s, env) && !env.PROVISION_CMD && env.PROVIDER === 'command')
    problems.push('no target: set LIUM_TARGET or OPS_DEFAULT_HOST, or PROVISION_CMD (or PROVIDER=lium) for --provision auto');
  if (env.BOOTSTRAP_SCRIPT && !existsSync(resolve(s.ws.projectRoot, env.BOOTSTRAP_SCRIPT)))
    problems.push(`BOOTSTRAP_SCRIPT ${env.BOOTSTRAP_SCRIPT} does not exist`);
  if (s.options.sweep !== 'skip' && !env.SWEEP_CMD_TEMPLATE) problems.push('SWEEP_CMD_TEMPLATE is empty: the sweep has no command to run');
  if (s.options.sweep !== 'skip' && !env.SWEEP_CSV) problems.push('SWEEP_CSV is empty: the sweep has no manifest');
  if (problems.length) throw fail(CODES.CONFIG_INVALID, `workflow.env cannot run this flow:\n  ${problems.join('\n  ')}`);

  let rows = 0;
  if (s.options.sweep !== 'skip') {
    try {
      rows = readSweepCsv(resolve(s.ws.projectRoot, env.SWEEP_CSV)).rows.length;
    } catch (e) {
      if (isGantryError(e)) throw fail(CODES.SWEEP_MANIFEST_INVALID, `${e.message}${e.where ? ` (${e.where})` : ''}`);
      throw e;
    }
  }

  const safe = env.WF_REQUIRE_NONINTERACTIVE_SAFE === '1';
  const promptProne = [
    ...(needsProvisioning(s, env) ? ['provisioning a pod'] : []),
    ...(s.options.teardown === 'delete' ? ['deleting the pod'] : []),
  ];
  if (safe && !s.interactive && !s.consent && promptProne.length)
    throw fail(CODES.CONSENT_MISSING, `${promptProne.join(' and ')} needs consent, and no terminal is attached (non-TTY mode); pass --yes or set LIUM_YES=1`, 'policy');

  if (env.WF_CHECKLIST_PATH) {
    const phases = (s.writer.record?.phases ?? []).map((p) => ({ id: p.step, name: p.name }));
    openChecklist(resolve(s.ws.projectRoot, env.WF_CHECKLIST_PATH), phases, `flow ${s.start.flow_id} attempt ${s.attempt} started`);
  }
  return ok(CMD, {
    artifact: s.startFile,
    outputs: [s.startFile],
    details: {
      config: s.choice.path,
      override: s.choice.override,
      interactive: s.interactive,
      consent: s.consent,
      prompt_prone: promptProne,
      sweep_rows: rows,
      explicit_target: explicitTarget(env) || null,
    },
  });
}
