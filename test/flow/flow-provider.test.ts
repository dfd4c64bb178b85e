import { createConnection } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../src/records/hash.js';
import { alive, courtLine, flowProject, PHASES, phaseLine, pods, PROVIDER, providerClient, readJson, stopPods } from './harness.js';

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

const providerKeys = {
  PROVISION_CMD: `node ${PROVIDER} provision`,
  STATUS_CMD: `node ${PROVIDER} status {pod_id}`,
  TEARDOWN_CMD: `node ${PROVIDER} teardown {pod_id}`,
  SSH_ACCEPT_NEW_HOST_KEY: '1',
};

describe('gantry flow with a real provider (a fresh sshd per pod)', () => {
  const started: string[] = [];
  afterEach(() => started.splice(0).forEach(stopPods));

  it('provisions, autobinds, runs the whole lifecycle over SSH with all evidence, and teardown delete leaves no sshd', async () => {
    const client = providerClient();
    started.push(client.stateDir);
    const p = await flowProject(providerKeys, client.env);
    const r = await p.flow(['--yes', '--wait', 'true', '--fetch', 'all', '--teardown=delete']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    // Header first, then a PHASE line and a COURT line per phase.
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('== gantry flow: constitutional header ==');
    for (const key of ['WF_CONSTITUTION_VERSION=1', `ACTIVE_CONFIG=${join(p.ws, 'workflow.env')}`, 'TARGET_SOURCE=pending', 'FSM_STATE_FILE='])
      expect(lines.slice(0, 12).some((l) => l.startsWith(key))).toBe(true);
    expect(r.stdout).toMatch(/^TARGET=ssh:\/\/\w+@127\.0\.0\.1:\d+\nTARGET_SOURCE=autobind\nTRANSPORT=ssh$/m);
    for (const ph of PHASES) {
      expect(phaseLine(r.stdout, ph)).toMatch(new RegExp(`^PHASE=${ph} STATUS=(ok|skip) CODE=0 ARTIFACT=`));
      expect(courtLine(r.stdout, ph)).toMatch(new RegExp(`^PHASE=${ph} COURT=pass DET=pass CONST=pass VERDICT=.*phase\\.${ph}\\.verdict\\.json$`));
    }
    expect(phaseLine(r.stdout, 'P90')).toMatch(/STATUS=ok/);
    expect(r.stdout).toMatch(/\[P70\] r2 \| step 2\/2 loss=/);

    // Evidence: the four files per phase, flow.start.json and flow.summary.json.
    const record = join(p.runDir(), 'record');
    for (const ph of PHASES)
      for (const kind of ['evidence', 'deterministic', 'constitutional', 'verdict']) expect(existsSync(join(record, 'phases', `phase.${ph}.${kind}.json`))).toBe(true);
    const start = readJson(join(record, 'flow.start.json'));
    const p60 = readJson(join(record, 'phases', 'phase.P60.evidence.json'));
    expect(p60).toMatchObject({ flow_id: start.flow_id, phase_id: 'P60', command_name: 'sweep-start', command_rc: 0, phase_status: 'ok', transport_hint: 'ssh', intent_mode: 'mandated_contract_or_die', active_config_sha256: start.active_config_sha256 });
    expect(p60.repo_url).toContain('origin');
    expect(readJson(join(record, 'phases', 'phase.P90.evidence.json'))).toMatchObject({ command_name: 'pod-delete', teardown_mode: 'delete' });
    expect(readJson(join(record, 'flow.summary.json'))).toMatchObject({ status: 'passed', first_failing_phase: null, sweep: { rows: 3, done: 3, failed: [] } });
    const binding = readJson(join(record, 'target.bind.json'));
    expect(binding).toMatchObject({ source: 'autobind', transport: 'ssh' });

    // Fetched artifacts with their sha256 recorded.
    const fetched = readJson(join(record, 'fetch.json'));
    expect(fetched.files.map((f: { run_id: string }) => f.run_id).sort()).toEqual(['r1', 'r2', 'r3']);
    for (const f of fetched.files) expect(await sha256File(join(p.dir, f.path))).toBe(f.sha256);
    expect(readJson(join(p.dir, 'artifacts', 'r3', 'summary.json')).ok).toBe(true);

    // The target side: FSM completed, manifests with timestamps, each row ran once.
    expect(readJson(join(p.outputs, '_control', 'workflow_state.json')).state).toBe('SWEEP_COMPLETED');
    const manifests = readdirSync(join(p.outputs, '_manifests'));
    expect(manifests).toContain('sweep-latest.csv');
    expect(manifests.some((m) => /^sweep-\d{8}T\d{6}Z\.csv$/.test(m))).toBe(true);
    expect(manifests.some((m) => /^workflow-\d{8}T\d{6}Z\.env$/.test(m))).toBe(true);
    expect(manifests.some((m) => /^flow-\d{8}T\d{6}Z\.start\.json$/.test(m))).toBe(true);
    expect(readFileSync(p.counter, 'utf8').split('\n').filter(Boolean)).toEqual(['r1', 'r2', 'r3']);

    // teardown delete: the pod's sshd is gone and its port refuses connections.
    const [pod] = pods(client.stateDir);
    expect(pod!.deleted).toBe(true);
    expect(alive(pod!.pid)).toBe(false);
    expect(await refused(pod!.port)).toBe(true);
  });

  it('refuses to provision in non-TTY mode without consent, fast and before any remote mutation (LAW_4)', async () => {
    const client = providerClient();
    started.push(client.stateDir);
    const p = await flowProject(providerKeys, client.env);
    const t0 = Date.now();
    const r = await p.flow([], { LIUM_YES: '' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(4);
    expect(phaseLine(r.stdout, 'P00')).toBe(`PHASE=P00 STATUS=fail CODE=104 ARTIFACT=-`);
    expect(r.stdout).toMatch(/error \(policy\) in P00: provisioning a pod needs consent.*--yes or set LIUM_YES=1/);
    expect(r.stdout).toContain('FIRST_FAILING_PHASE=P00 CODE=104');
    expect(phaseLine(r.stdout, 'P10')).toBeUndefined();
    expect(pods(client.stateDir)).toEqual([]);
    expect(existsSync(p.outputs)).toBe(false);
    const verdict = readJson(join(p.runDir(), 'record', 'phases', 'phase.P00.verdict.json'));
    expect(verdict).toMatchObject({ verdict: 'fail', det: 'fail' });
    expect(verdict.next_command).toContain('gantry run show');
  });
});
