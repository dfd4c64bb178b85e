import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SafeId } from '../../../contracts/common.js';
import { isGantryError } from '../../../contracts/errors.js';
import { sha256File } from '../../records/hash.js';
import { CODES } from '../constitution.js';
import { providerFor } from '../provider.js';
import { runScript } from '../remote.js';
import { envOf, execOf, ok, PhaseFailure, skip, type FlowSession, type PhaseOutcome } from '../session.js';
import { buildSummary } from '../summary.js';
import { sweepStatus } from '../sweep/status.js';
import { repeatable, stepLog } from './common.js';
import { provisioned } from './target.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

const EXISTS = 'd=$(expand "$1")/"$2"; [ -d "$d" ]';

/**
 * P80: `--fetch none` is a policy skip; `all` downloads every done row's folder, `run:<id>` one row's
 * folder, into LOCAL_ARTIFACTS_DIR/<run_id>/; every fetched file's sha256 goes into record/fetch.json.
 */
export async function fetchArtifacts(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const policy = s.options.fetch;
  if (policy === 'none') return skip('fetch-policy', '--fetch none');
  const exec = execOf(s);
  const command = policy === 'all' ? 'fetch-all' : 'fetch-run';
  let ids: string[];
  if (policy === 'all') {
    ids = (await repeatable(s, 'reading the sweep status', () => sweepStatus(exec, env.OPS_REMOTE_OUTPUTS_DIR))).rows.filter((r) => r.summaryOk).map((r) => r.run_id);
  } else {
    const id = policy.slice('run:'.length);
    if (!SafeId.safeParse(id).success) throw new PhaseFailure(CODES.FETCH_FAILED, `"${id}" is not a run id`, command);
    const r = await runScript(exec, EXISTS, [env.OPS_REMOTE_OUTPUTS_DIR, id]);
    if (r.exitCode !== 0)
      throw new PhaseFailure(CODES.FETCH_FAILED, `run ${id} has no outputs on ${exec.target} (${env.OPS_REMOTE_OUTPUTS_DIR}/${id} is missing)`, command, { run_id: id });
    ids = [id];
  }
  const root = resolve(s.ws.projectRoot, env.LOCAL_ARTIFACTS_DIR);
  const files: { run_id: string; path: string; sha256: string; bytes: number }[] = [];
  for (const id of ids) {
    const local = join(root, id);
    try {
      await repeatable(s, `fetching run ${id}`, () => exec.download(`${env.OPS_REMOTE_OUTPUTS_DIR}/${id}`, local));
    } catch (e) {
      if (s.signal.aborted) throw e;
      throw new PhaseFailure(CODES.FETCH_FAILED, `fetching run ${id} failed: ${isGantryError(e) ? e.message : String(e)}`, command, { run_id: id });
    }
    for (const f of filesUnder(local)) files.push({ run_id: id, path: relative(s.ws.projectRoot, f), sha256: await sha256File(f), bytes: statSync(f).size });
  }
  const manifest = s.writer.writeRecordJson('fetch.json', { fetched_at: new Date().toISOString(), policy, root: relative(s.ws.projectRoot, root) || '.', files });
  return ok(command, {
    artifact: root,
    outputs: [manifest, ...files.map((f) => resolve(s.ws.projectRoot, f.path))],
    message: ids.length ? `fetched ${ids.length} run(s), ${files.length} files` : 'no finished run to fetch',
    details: { runs: ids, files, manifest },
  });
}

/**
 * P90 (LAW_7): keep is a policy skip; delete (asked for explicitly, with consent) closes the connection
 * and has the provider tear the provisioned pod down. An explicit target is never deleted.
 */
export async function teardown(s: FlowSession): Promise<PhaseOutcome> {
  if (s.options.teardown === 'keep') return skip('teardown-policy', '--teardown keep: the target stays up');
  const pod = provisioned(s);
  if (!pod || s.binding?.source !== 'autobind')
    throw new PhaseFailure(CODES.TEARDOWN_FAILED, 'the target was not provisioned by this flow (explicit target): gantry deletes only pods it provisioned', 'pod-delete');
  if (!s.consent) {
    const yes = s.interactive && (await s.confirm(`Delete pod ${pod.pod_id} (${pod.target})?`));
    if (!yes) throw new PhaseFailure(CODES.CONSENT_MISSING, 'deleting the pod was not consented to (pass --yes or set LIUM_YES=1)', 'pod-delete', {}, 'policy');
  }
  await s.disconnect();
  try {
    await providerFor(envOf(s), s.ws.projectRoot).teardown(pod.pod_id, s.signal, stepLog(s, 'P90'));
  } catch (e) {
    if (s.signal.aborted) throw e;
    throw new PhaseFailure(CODES.TEARDOWN_FAILED, `teardown of pod ${pod.pod_id} failed: ${isGantryError(e) ? e.message : String(e)}`, 'pod-delete', { pod_id: pod.pod_id });
  }
  s.tornDown = true;
  return ok('pod-delete', { message: `pod ${pod.pod_id} deleted`, details: { pod_id: pod.pod_id, target: pod.target } });
}

/** P99: the summary, written once every earlier phase is known. */
export async function summary(s: FlowSession): Promise<PhaseOutcome> {
  const unknown = (s.writer.record?.phases ?? []).filter((p) => p.step !== 'P99' && (p.status === 'pending' || p.status === 'running'));
  if (unknown.length) throw new PhaseFailure(CODES.COURT_FAILED, `phases ${unknown.map((p) => p.step).join(', ')} are not known yet`, 'flow-summary');
  const file = s.writer.writeRecordJson('flow.summary.json', buildSummary(s, null));
  return ok('flow-summary', { artifact: file, outputs: [file] });
}
