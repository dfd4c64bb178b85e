import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryBackground, tmp, waitFor, writeFile } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import { attempt, commit, contractYaml, git, repoWithWorkspace, runIds, testRegistry } from './support.js';

let sshd: Sshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => sshd?.stop());

/** Tier B gates for the loopback sshd: they print where they run and what was shipped. */
function tierBRegistry(remoteRoot: string): string {
  return testRegistry(`
[gates."gpu:remote"]
tier = "B"
gpus = 8
requires = ["WI_REMOTE_VAR"]
command = ["sh", "-c", 'echo "remote in $(pwd) with $WI_REMOTE_VAR"; cat shipped.txt; test ! -e uncommitted.txt']

[gates."gpu:remote_fail"]
tier = "B"
command = ["sh", "-c", "echo failing; exit 4"]

[gates."gpu:needs"]
tier = "B"
requires = ["WI_NEVER_SET"]
command = ["true"]

[tier_b]
remote_root = "${remoteRoot}"
`);
}

describe('gates run, tier B on the real-sshd target', () => {
  let repo: string;
  let sha: string;
  let remoteRoot: string;
  let outputs: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => gantry(['gates', 'run', ...args], { cwd: repo, env });
  const approvalAttempts = () => readdirSync(join(repo, 'gantry', 'runs', runIds(repo)[0]!, 'record', 'gates', 'approve:tier_b')).length;

  beforeAll(async () => {
    remoteRoot = join(tmp(), 'remote');
    outputs = join(tmp(), 'outputs');
    repo = await repoWithWorkspace({ 'shipped.txt': 'shipped content\n' });
    writeFile(join(repo, 'gantry', 'gates.toml'), tierBRegistry(remoteRoot));
    writeFile(join(repo, 'gantry', 'contract.yml'), contractYaml({ required: ['cpu:ok', 'gpu:remote', 'gpu:remote_fail'] }));
    git(repo, 'checkout', '-q', '-b', 'issue/03a-attention');
    sha = commit(repo, { 'nmoe/attention/a.py': 'a\n' });
    // Not committed: must not reach the target.
    writeFile(join(repo, 'uncommitted.txt'), 'local only\n');
    env = { ...sshd.env, OPS_REMOTE_OUTPUTS_DIR: outputs, WI_REMOTE_VAR: 'from-maintainer' };
  });

  it('refuses to start tier B without consent in non-TTY mode (policy, exit 4), recording the refusal', async () => {
    const r = await run('--contract', 'gantry/contract.yml', '--tier', 'B', '--target', sshd.alias);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('gate approve:tier_b needs an answer, and no terminal is attached (non-TTY mode)');
    const [runId] = runIds(repo);
    expect(attempt(repo, runId!, 'approve:tier_b', 1)).toMatchObject({ status: 'FAIL', agent: 'none' });
    expect(existsSync(join(repo, 'gantry', 'runs', runId!, 'record', 'gates', 'gpu:remote'))).toBe(false);
    expect(existsSync(remoteRoot)).toBe(false);
  });

  it('with consent ships the commit and runs each gate as a tracked task, live, recording every attempt', async () => {
    const r = await run('--contract', 'gantry/contract.yml', '--tier', 'B', '--target', sshd.alias, '--yes');
    expect(r.code).toBe(1);
    const remoteDir = join(remoteRoot, `03a-${sha.slice(0, 12)}`);
    expect(r.stdout).toContain('[approve:tier_b] PASS (attempt 2)');
    expect(r.stdout).toContain(`  gpu:remote | remote in ${remoteDir} with from-maintainer`);
    expect(r.stdout).toContain('  gpu:remote | shipped content');
    expect(r.stdout).toMatch(/\[gpu:remote\] PASS \(attempt 1\)/);
    expect(r.stdout).toContain('  gpu:remote_fail | failing');
    expect(r.stdout).toMatch(/\[gpu:remote_fail\] FAIL \(attempt 1\): exit 4 after [\d.]+ s on gantry-test \(task wi-03a-gpu_remote_fail-[0-9a-f]{6}-1 in /);
    // Tier A gates of the contract are not part of a tier B run.
    expect(r.stdout).not.toContain('cpu:ok');

    const [runId] = runIds(repo);
    expect(attempt(repo, runId!, 'approve:tier_b', 2)).toMatchObject({ status: 'PASS', agent: 'consent' });
    const passed = attempt(repo, runId!, 'gpu:remote', 1);
    expect(passed).toMatchObject({ status: 'PASS', agent: 'gantry (gantry-test)' });
    const taskId = /task (\S+) in/.exec(passed.validations[0].detail)![1]!;
    expect(taskId).toBe(`wi-03a-gpu_remote-${runId!.slice(-6)}-1`);
    // The tracked task's own files on the target, and the same output in the run's log.
    const taskLog = readFileSync(join(outputs, '_tasks', taskId, 'stdout.log'), 'utf8');
    expect(taskLog).toBe(`remote in ${remoteDir} with from-maintainer\nshipped content\n`);
    expect(readFileSync(join(repo, 'gantry', 'runs', runId!, 'logs', 'gates', 'gpu:remote', 'attempt-1.log'), 'utf8')).toBe(taskLog);
    expect(existsSync(join(remoteDir, 'nmoe', 'attention', 'a.py'))).toBe(true);
    expect(existsSync(join(remoteDir, 'uncommitted.txt'))).toBe(false);

    const attested = await gantry(['attest', '--contract', 'gantry/contract.yml', '--base', 'master', '--json'], { cwd: repo, env });
    expect(JSON.parse(attested.stdout)).toMatchObject({ tier_a: [], tier_b: ['gpu:remote'], not_passed: ['cpu:ok', 'gpu:remote_fail'] });
  });

  it('fails a tier B gate with missing requires at once, without asking for approval', async () => {
    const before = approvalAttempts();
    const r = await run('gpu:needs', '--contract', 'gantry/contract.yml', '--target', sshd.alias, '--yes');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[gpu:needs] FAIL (attempt 1): missing required environment variable: WI_NEVER_SET (gate not started)');
    expect(approvalAttempts()).toBe(before);
  });

  it('waits for a maintainer approving from another shell with --approvals external', async () => {
    const [runId] = runIds(repo);
    const events = join(repo, 'gantry', 'runs', runId!, 'record', 'events.jsonl');
    const waits = () => readFileSync(events, 'utf8').split('\n').filter((l) => l.includes('"gate.waiting"')).length;
    const before = waits();
    const bg = gantryBackground(['gates', 'run', 'gpu:remote', '--contract', 'gantry/contract.yml', '--target', sshd.alias, '--approvals', 'external'], {
      cwd: repo,
      env,
    });
    await waitFor(() => waits() > before, 30_000, 'the approval to wait');
    const approve = await gantry(['gate', 'finish', '--run', runId!, '--gate', 'approve:tier_b'], { cwd: repo, env });
    expect(approve.code).toBe(0);
    const done = await bg;
    expect(done.exitCode).toBe(0);
    expect(done.all).toContain('[gpu:remote] PASS (attempt 2)');
    expect(attempt(repo, runId!, 'approve:tier_b', approvalAttempts()).status).toBe('PASS');
  });

  it('needs --target for tier B gates', async () => {
    const r = await run('gpu:remote');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tier B gate gpu:remote run on a target');
  });
});
