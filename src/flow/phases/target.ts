import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGantryError } from '../../../contracts/errors.js';
import { ProviderOutput, type TargetBinding } from '../../../contracts/flow.js';
import { parseStructuredFile } from '../../config/parse-file.js';
import { parseTarget } from '../../exec/target.js';
import { CODES } from '../constitution.js';
import { atLeast, readFsm } from '../fsm.js';
import { providerFor } from '../provider.js';
import { scriptOutput } from '../remote.js';
import { envOf, execOf, ok, PhaseFailure, skip, type FlowSession, type PhaseOutcome } from '../session.js';
import { move, stepLog } from './common.js';
import { explicitTarget } from './precheck.js';

const provisionFile = (s: FlowSession) => join(s.writer.paths.record, 'provision.json');
export const bindingFile = (s: FlowSession) => join(s.writer.paths.record, 'target.bind.json');

/** What P10 provisioned in this flow (also after a resume), or null. */
export function provisioned(s: FlowSession): ProviderOutput | null {
  return existsSync(provisionFile(s)) ? parseStructuredFile(provisionFile(s), ProviderOutput, 'provision record') : null;
}

/** P10: explicit target or --provision skip is a policy skip; otherwise the provider rents a pod (with consent). */
export async function provision(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  if (explicitTarget(env)) return skip('provision-policy', `explicit target ${explicitTarget(env)}: nothing to provision`);
  if (s.options.provision === 'skip') return skip('provision-policy', '--provision skip');
  const provider = providerFor(env, s.ws.projectRoot);
  if (!s.consent) {
    const yes = s.interactive && (await s.confirm(`Provision a pod with: ${provider.provisionCommand} ?`));
    if (!yes) throw new PhaseFailure(CODES.CONSENT_MISSING, 'provisioning was not consented to (pass --yes or set LIUM_YES=1)', 'pod-up', {}, 'policy');
  }
  let pod: ProviderOutput;
  try {
    // The flow id as idempotency key: a resumed flow asks for the same pod, not another one.
    pod = await provider.provision(s.start.flow_id, s.signal, stepLog(s, 'P10'));
  } catch (e) {
    if (s.signal.aborted) throw e;
    throw new PhaseFailure(CODES.PROVISION_FAILED, isGantryError(e) ? e.message : String(e), 'pod-up', { provider: provider.name });
  }
  const file = s.writer.writeRecordJson('provision.json', pod);
  return ok('pod-up', { artifact: file, outputs: [file], details: { provider: provider.name, pod_id: pod.pod_id, target: pod.target } });
}

/** P20 (LAW_3): explicit target, else autobind to what P10 provisioned, else fail. Written once, never changed. */
export async function bindTarget(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const pod = provisioned(s);
  const explicit = explicitTarget(env);
  const target = explicit || pod?.target;
  if (!target)
    throw new PhaseFailure(CODES.NO_TARGET, 'no target: LIUM_TARGET and OPS_DEFAULT_HOST are empty and nothing was provisioned (--provision skip?)', 'target-bind');
  let transport: 'local' | 'ssh';
  try {
    transport = parseTarget(target).kind;
  } catch (e) {
    throw new PhaseFailure(CODES.NO_TARGET, isGantryError(e) ? e.message : String(e), 'target-bind');
  }
  const binding: TargetBinding = {
    target,
    source: explicit ? 'explicit' : 'autobind',
    transport,
    pod_id: explicit ? null : (pod?.pod_id ?? null),
    host_key_fingerprint: null,
    bound_at: new Date().toISOString(),
  };
  const file = s.writer.writeRecordJson('target.bind.json', binding);
  s.binding = binding;
  s.exec = await s.connect(target);
  s.writer.append({ type: 'run.header', fields: { target, target_source: binding.source, transport } });
  return ok('target-bind', { artifact: file, outputs: [file], details: { ...binding } });
}

const READY = `out=$(expand "$1"); mkdir -p "$out/_control" "$out/_manifests" || exit 1; uname -a; echo "$HOME"`;

/** P30: the target answers, its outputs folder is writable, the config copy is there; FSM at least POD_READY. */
export async function podReady(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const exec = execOf(s);
  let info;
  try {
    info = await exec.describe();
    await scriptOutput(exec, READY, [env.OPS_REMOTE_OUTPUTS_DIR], 'preparing the outputs folder');
  } catch (e) {
    if (s.signal.aborted) throw e;
    const reason = isGantryError(e) ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : String(e);
    throw new PhaseFailure(CODES.TARGET_UNREACHABLE, `target ${exec.target} is not reachable: ${reason}`, 'pod-status');
  }
  const pod = provisioned(s);
  let providerStatus: string | null = null;
  if (pod && (env.STATUS_CMD || env.PROVIDER === 'lium'))
    providerStatus = (await providerFor(env, s.ws.projectRoot).status(pod.pod_id, s.signal, stepLog(s, 'P30'))).trim();
  const remoteEnv = `${env.OPS_REMOTE_OUTPUTS_DIR}/_control/workflow.env`;
  await exec.upload(s.writer.writeLog('remote/workflow.env', readFileSync(s.choice.path, 'utf8')), remoteEnv);
  const fsm = await readFsm(exec, env.OPS_REMOTE_OUTPUTS_DIR);
  const moved = atLeast(fsm.state, 'POD_READY') ? undefined : await move(s, 'POD_READY', CODES.FSM_ILLEGAL, 'pod-status', 'P30 pod ready');
  return ok('pod-status', {
    artifact: `${exec.target}:${remoteEnv}`,
    fsm: moved,
    details: { host: info.host, user: info.user, port: info.port, host_key_fingerprint: info.hostKeyFingerprint, fsm_state: moved?.to ?? fsm.state, provider_status: providerStatus },
  });
}
