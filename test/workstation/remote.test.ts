import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantryBackground, waitFor } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import { auditFolders, CONFIG, OFFICIAL, readJson, snapshot, workstationProject, type Project } from './fixture.js';

let sshd: Sshd;
let p: Project;
/** The workstation's own checkout of the project, reached over ssh (a real sshd on loopback). */
let host: string;
let hostWs: string;

beforeAll(async () => {
  sshd = await startSshd();
  host = mkdtempSync(join(tmpdir(), 'gantry-workstation-'));
  hostWs = join(host, 'gantry');
  p = await workstationProject(`${CONFIG}\n[hosts.${sshd.alias}]\nproject_dir = "${host}"\n`);
  await execa('git', ['clone', '-q', p.dir, host]);
});

afterAll(async () => {
  await sshd?.stop();
});

const remote = (args: string[]) => p.cli(args, sshd.env);

describe('official runs on a workstation over ssh', { timeout: 180_000 }, () => {
  it('runs the whole official run there, as a tracked task, with the audit folder created there', async () => {
    const r = await remote([...OFFICIAL('remote_run1', '--host', sshd.alias, '--threads', '2', '--dq-input-csv', 'data/good.csv'), '--', '--sharpe', '2.2']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('DQ OK');
    expect(r.stdout).toContain('threads: 2 2');
    expect(r.stdout).toContain(`next: gantry sync-finalize --tag remote_run1 --host ${sshd.alias}`);
    expect(auditFolders(p.ws)).toHaveLength(0);

    const [dir] = auditFolders(hostWs);
    for (const f of ['preflight.json', 'data_quality_command.sh', 'data_quality.log', 'context.json', 'command.sh', 'run.log', 'result.json'])
      expect(existsSync(join(dir!, f)), f).toBe(true);
    const context = readJson(join(dir!, 'context.json'));
    expect(context).toMatchObject({ target: sshd.alias, project_dir: host, task: { target: sshd.alias, id: basename(dir!) } });
    expect(readFileSync(join(dir!, 'command.sh'), 'utf8')).toContain(`cd ${host} || exit 1`);
    const result = readJson(join(dir!, 'result.json'));
    expect(result).toMatchObject({ status: 'success', exit_code: 0 });
    expect(existsSync(join(host, result.reports[0]))).toBe(true);
    const status = readJson(join(p.env.OPS_REMOTE_OUTPUTS_DIR!, '_tasks', basename(dir!), 'status.json'));
    expect(status.state).toBe('success');

    const [run] = JSON.parse((await p.cli(['run', 'list', '--json'])).stdout);
    expect(run).toMatchObject({ workflow: 'official-run', status: 'PASSED' });
  });

  it('refuses a tag that exists on the host', async () => {
    const r = await remote([...OFFICIAL('remote_run1', '--host', sshd.alias, '--skip-dq', '--skip-reason', 'x'), '--']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`tag "remote_run1" already exists: ${sshd.alias}:`);
  });

  it('sync-finalize pulls the audit folder and the report (checksums compared), then finalizes here', async () => {
    const r = await remote(['sync-finalize', '--tag', 'remote_run1', '--host', sshd.alias]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/synced: pulled .* 7 files, SHA-256 identical/);
    expect(r.stdout).toContain('finalize remote_run1: PASSED');
    const [hostDir] = auditFolders(hostWs);
    const [localDir] = auditFolders(p.ws);
    expect(basename(localDir!)).toBe(basename(hostDir!));
    for (const f of ['preflight.json', 'context.json', 'command.sh', 'run.log', 'result.json', 'data_quality.log'])
      expect(readFileSync(join(localDir!, f), 'utf8'), f).toBe(readFileSync(join(hostDir!, f), 'utf8'));
    const report = readJson(join(localDir!, 'result.json')).reports[0];
    expect(readFileSync(join(p.dir, report), 'utf8')).toBe(readFileSync(join(host, report), 'utf8'));
    expect(existsSync(join(localDir!, 'run_review.md'))).toBe(true);
    const rows = readFileSync(join(p.ws, 'audit/registry.jsonl'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!)).toMatchObject({ tag: 'remote_run1', metrics: { sharpe: 2.2 } });
    // Nothing was written on the host by the sync.
    expect(existsSync(join(hostDir!, 'governance_audit_check.json'))).toBe(false);
  });

  it('monitor follows a running remote job, shows its new lines, and changes nothing on the host', async () => {
    const release = join(mkdtempSync(join(tmpdir(), 'gantry-release-')), 'go');
    const run = gantryBackground([...OFFICIAL('held', '--host', sshd.alias, '--skip-dq', '--skip-reason', 'test'), '--', '--ticks', '8', '--hold', release], {
      cwd: p.dir,
      env: { ...p.env, ...sshd.env },
    });
    const log = () => auditFolders(hostWs).map((d) => join(d, 'run.log')).find((f) => f.includes('_held/') && existsSync(f));
    await waitFor(() => log() !== undefined, 30_000, 'the held run to start');
    const monitor = gantryBackground(['monitor', '--tag', 'held', '--host', sshd.alias, '--interval', '1'], { cwd: p.dir, env: { ...p.env, ...sshd.env } });
    await waitFor(() => readFileSync(log()!, 'utf8').includes('tick 8'), 30_000, 'tick 8');

    // The job now waits for its release file (outside the host's project); both followers keep polling.
    await new Promise((r) => setTimeout(r, 1500));
    const before = snapshot(host);
    await new Promise((r) => setTimeout(r, 2500));
    expect(snapshot(host)).toEqual(before);

    writeFileSync(release, '');
    const [m, o] = await Promise.all([monitor, run]);
    expect(o.exitCode, o.all).toBe(0);
    expect(m.exitCode, m.all).toBe(0);
    const out = m.stdout as string;
    for (let i = 1; i <= 8; i++) expect(out).toContain(`tick ${i}`);
    expect(out).toMatch(/\[monitor [\d:]+\] held on gantry-test: running · task running[\s\S]*released[\s\S]*\[monitor [\d:]+\] held on gantry-test: success \(exit 0\)/);
  });
});
