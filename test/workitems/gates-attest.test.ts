import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gantry, writeFile } from '../support/gantry.js';
import { attempt, cli, commit, contractYaml, git, readJson, repoWithWorkspace, runIds, testRegistry } from './support.js';

const PERF = 'gate: perf:baseline_delta\nmetric: node_tps_p50\nbaseline_ref: master\nbudget_pct: -10';

/** A repo on an issue branch one commit past master, with the test registry and a contract. */
async function project(contract = contractYaml({ required: ['cpu:ok', 'cpu:fail'], perf: PERF })) {
  const repo = await repoWithWorkspace({ 'nmoe/model.py': 'x = 1\n' });
  writeFile(join(repo, 'gantry', 'gates.toml'), testRegistry());
  writeFile(join(repo, 'gantry', 'contract.yml'), contract);
  git(repo, 'checkout', '-q', '-b', 'issue/03a-attention');
  commit(repo, { 'nmoe/attention/a.py': 'a\n' });
  return repo;
}

const runRecord = (repo: string, runId: string) => readJson(join(repo, 'gantry', 'runs', runId, 'record', 'RUN.json')) as Record<string, any>;

describe('gates run, tier A', () => {
  it("runs the contract's tier A gates here and records each as a gate attempt with its log", async () => {
    const repo = await project();
    const sha = git(repo, 'rev-parse', 'HEAD');
    const r = await cli(repo, 'gates', 'run', '--contract', 'gantry/contract.yml', '--tier', 'A');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  cpu:ok | ok gate ran in ${repo}`);
    expect(r.stdout).toContain('  cpu:fail | boom');
    expect(r.stdout).toMatch(/\[cpu:ok\] PASS \(attempt 1\)/);
    expect(r.stdout).toMatch(/\[cpu:fail\] FAIL \(attempt 1\): exit 3 after [\d.]+ s on local/);

    const [runId] = runIds(repo);
    const rec = runRecord(repo, runId!);
    expect(rec.workflow.name).toBe('work-item');
    expect(rec.params).toMatchObject({ issue: '03a', slug: 'attention', risk: 'hot', identity_block: 'nmoe', pr_sha: sha, repo });
    expect(rec.status).toBe('FAILED');
    const ok = attempt(repo, runId!, 'cpu:ok', 1);
    expect(ok).toMatchObject({ gate: 'cpu:ok', status: 'PASS', failure_reason: null, agent: 'gantry (local)' });
    expect(ok.validations).toEqual([
      { type: 'exit_code', path: 'logs/gates/cpu:ok/attempt-1.log', pass: true, severity: 'fail', detail: expect.stringMatching(/^exit 0 after [\d.]+ s on local$/) },
    ]);
    expect(readFileSync(join(repo, 'gantry', 'runs', runId!, 'logs', 'gates', 'cpu:ok', 'attempt-1.log'), 'utf8')).toBe(`ok gate ran in ${repo}\n`);
    const failed = attempt(repo, runId!, 'cpu:fail', 1);
    expect(failed.status).toBe('FAIL');
    expect(failed.failure_reason).toMatch(/^exit 3 after [\d.]+ s on local$/);
    expect(readFileSync(join(repo, 'gantry', 'runs', runId!, 'logs', 'gates', 'cpu:fail', 'attempt-1.log'), 'utf8')).toBe('boom\n');

    // The same commit: the same run, a second attempt.
    const again = await cli(repo, 'gates', 'run', 'cpu:ok', '--contract', 'gantry/contract.yml');
    expect(again.code).toBe(0);
    expect(runIds(repo)).toEqual([runId]);
    expect(attempt(repo, runId!, 'cpu:ok', 2).status).toBe('PASS');
    expect(runRecord(repo, runId!).status).toBe('PASSED');

    // A new commit: a new run.
    commit(repo, { 'nmoe/attention/b.py': 'b\n' });
    expect((await cli(repo, 'gates', 'run', 'cpu:ok', '--contract', 'gantry/contract.yml')).code).toBe(0);
    const runs = runIds(repo);
    expect(runs).toHaveLength(2);
    expect(runRecord(repo, runs.find((id) => id !== runId)!).params.pr_sha).toBe(git(repo, 'rev-parse', 'HEAD'));
  });

  it('fails a gate whose required variables are missing at once, naming them, without running it', async () => {
    const repo = await project();
    const r = await gantry(['gates', 'run', 'cpu:needs_env', '--contract', 'gantry/contract.yml'], { cwd: repo, env: { WI_TEST_RUN_ROOT: '/data' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[cpu:needs_env] FAIL (attempt 1): missing required environment variable: WI_TEST_DATA_PATH (gate not started)');
    const [runId] = runIds(repo);
    expect(attempt(repo, runId!, 'cpu:needs_env', 1)).toMatchObject({
      status: 'FAIL',
      failure_reason: 'missing required environment variable: WI_TEST_DATA_PATH (gate not started)',
      validations: [],
    });
    expect(existsSync(join(repo, 'gantry', 'runs', runId!, 'logs', 'gates', 'cpu:needs_env'))).toBe(false);

    const both = await gantry(['gates', 'run', 'cpu:needs_env'], { cwd: repo, env: {} });
    expect(both.stdout).toContain('missing required environment variables: WI_TEST_DATA_PATH, WI_TEST_RUN_ROOT');

    const set = await gantry(['gates', 'run', 'cpu:needs_env'], { cwd: repo, env: { WI_TEST_DATA_PATH: '/d', WI_TEST_RUN_ROOT: '/r' } });
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('  cpu:needs_env | /d');
  });

  it('notes uncommitted changes to tracked files (not the workspace records) before running', async () => {
    const repo = await project();
    // Committed run records are part of the workspace, not of the change under test.
    await cli(repo, 'gates', 'run', 'cpu:ok');
    git(repo, 'add', 'gantry');
    git(repo, 'commit', '-q', '-m', 'records');
    const clean = await cli(repo, 'gates', 'run', 'cpu:ok');
    expect(clean.stdout).not.toContain('uncommitted changes');
    writeFile(join(repo, 'nmoe', 'model.py'), 'x = 2\n');
    const dirty = await cli(repo, 'gates', 'run', 'cpu:ok');
    expect(dirty.code).toBe(0);
    expect(dirty.stdout).toContain('note: the working tree has uncommitted changes: tier A gates run on them, but are recorded against HEAD');
  });

  it('runs a bundle, bundles inside it expanded', async () => {
    const repo = await project();
    const r = await cli(repo, 'gates', 'run', '--bundle', 'all_a', '--json');
    expect(r.code).toBe(1);
    const events = r.stdout.split('\n').map((l) => JSON.parse(l));
    const finished = events.filter((e) => e.type === 'gate.finished').map((e) => [e.gate, e.status]);
    expect(finished).toEqual([
      ['cpu:ok', 'PASS'],
      ['cpu:fail', 'FAIL'],
    ]);
    // Without a contract the run is keyed by the commit alone.
    expect(runRecord(repo, runIds(repo)[0]!).params).toMatchObject({ issue: '', slug: 'adhoc' });

    const unknown = await cli(repo, 'gates', 'run', '--bundle', 'nope');
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('unknown bundle "nope"');
    const unknownGate = await cli(repo, 'gates', 'run', 'cpu:ok', 'gpu:ghost');
    expect(unknownGate.code).toBe(5);
    expect(unknownGate.stderr).toContain('unknown gate "gpu:ghost"');
  });
});

describe('perf delta', () => {
  const perfRun = async (repo: string, baseline: number, result: number, contract = 'gantry/contract.yml') => {
    writeFile(join(repo, 'baseline.json'), JSON.stringify({ node_tps_p50: baseline }));
    writeFile(join(repo, 'result.json'), JSON.stringify({ metrics: { note: 'nested is fine too' }, node_tps_p50: result }));
    return cli(repo, 'perf', 'delta', '--contract', contract, '--baseline', 'baseline.json', '--result', 'result.json', '--json');
  };

  it('passes exactly at a negative budget and fails just past it (higher is better)', async () => {
    const repo = await project();
    const edge = await perfRun(repo, 1000, 900);
    expect(edge.code).toBe(0);
    expect(JSON.parse(edge.stdout)).toMatchObject({ gate: 'perf:baseline_delta', metric: 'node_tps_p50', better: 'higher', baseline: 1000, result: 900, delta_pct: -10, budget_pct: -10, status: 'pass' });
    const past = await perfRun(repo, 1000, 899.9);
    expect(past.code).toBe(1);
    expect(JSON.parse(past.stdout)).toMatchObject({ delta_pct: -10.01, status: 'fail' });
    const faster = await perfRun(repo, 1000, 1200);
    expect(JSON.parse(faster.stdout)).toMatchObject({ delta_pct: 20, status: 'pass' });

    // Each verdict is a recorded attempt of the perf gate, its inputs hashed.
    const [runId] = runIds(repo);
    const first = attempt(repo, runId!, 'perf:baseline_delta', 1);
    expect(first).toMatchObject({ status: 'PASS', agent: 'gantry perf delta' });
    expect(first.artifacts.map((a: { path: string }) => a.path)).toEqual(['baseline.json', 'result.json']);
    expect(first.artifacts[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(attempt(repo, runId!, 'perf:baseline_delta', 2).failure_reason).toBe(
      'node_tps_p50: baseline 1000 → result 899.9, delta -10.01% (budget -10%, higher is better): over budget',
    );
  });

  it('with a positive budget demands that much improvement, and `better: lower` flips the direction', async () => {
    const repo = await project(contractYaml({ perf: 'gate: perf:baseline_delta\nmetric: node_tps_p50\nbaseline_ref: master\nbudget_pct: 5' }));
    expect((await perfRun(repo, 200, 210)).code).toBe(0);
    expect((await perfRun(repo, 200, 209.9)).code).toBe(1);

    writeFile(join(repo, 'gantry', 'latency.yml'), contractYaml({ perf: 'gate: perf:baseline_delta\nmetric: node_tps_p50\nbaseline_ref: master\nbudget_pct: -10\nbetter: lower' }));
    const slower = await perfRun(repo, 100, 110, 'gantry/latency.yml');
    expect(JSON.parse(slower.stdout)).toMatchObject({ better: 'lower', delta_pct: 10, status: 'pass' });
    const tooSlow = await perfRun(repo, 100, 110.5, 'gantry/latency.yml');
    expect(tooSlow.code).toBe(1);
    const plain = await cli(repo, 'perf', 'delta', '--contract', 'gantry/latency.yml', '--baseline', 'baseline.json', '--result', 'result.json');
    expect(plain.stdout).toContain('perf fail: node_tps_p50 100 → 110.5, delta 10.5% (budget -10%, lower is better)');
  });

  it('refuses a missing metric with a clear error', async () => {
    const repo = await project();
    writeFile(join(repo, 'baseline.json'), '{"other": 1}');
    writeFile(join(repo, 'result.json'), '{"node_tps_p50": 1}');
    const r = await cli(repo, 'perf', 'delta', '--contract', 'gantry/contract.yml', '--baseline', 'baseline.json', '--result', 'result.json');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('metric "node_tps_p50" is not a number in baseline.json');
  });
});

describe('attest', () => {
  it('lists exactly the gates whose latest recorded attempt passed, and the recorded perf verdict', async () => {
    const repo = await project();
    const sha = git(repo, 'rev-parse', 'HEAD');
    const master = git(repo, 'rev-parse', 'master');
    const attest = async () => {
      const r = await cli(repo, 'attest', '--contract', 'gantry/contract.yml', '--base', 'master');
      expect(r.code).toBe(0);
      return { block: r.stdout, doc: parse(r.stdout.split('\n\n').join('\n')) as Record<string, any>, stderr: r.stderr };
    };

    const nothing = await attest();
    expect(nothing.doc).toEqual({
      nmoe_pr: { issue: '03a', baseline_sha: master, pr_sha: sha, risk: 'hot' },
      gates_passed: { tier_a: [], tier_b: [] },
      perf: { gate: 'perf:baseline_delta', metric: 'node_tps_p50', baseline: null, result: null, delta_pct: null, budget_pct: -10, status: 'not recorded' },
    });
    expect(nothing.stderr).toContain('required gates not recorded as passed');

    await cli(repo, 'gates', 'run', '--contract', 'gantry/contract.yml', '--tier', 'A');
    writeFile(join(repo, 'baseline.json'), '{"node_tps_p50": 1000}');
    writeFile(join(repo, 'result.json'), '{"node_tps_p50": 950}');
    await cli(repo, 'perf', 'delta', '--contract', 'gantry/contract.yml', '--baseline', 'baseline.json', '--result', 'result.json');
    const some = await attest();
    expect(some.block).toBe(
      [
        'nmoe_pr:',
        '  issue: 03a',
        `  baseline_sha: ${master}`,
        `  pr_sha: ${sha}`,
        '  risk: hot',
        '',
        'gates_passed:',
        '  tier_a:',
        '    - cpu:ok',
        '  tier_b: []',
        '',
        'perf:',
        '  gate: perf:baseline_delta',
        '  metric: node_tps_p50',
        '  baseline: 1000',
        '  result: 950',
        '  delta_pct: -5',
        '  budget_pct: -10',
        '  status: pass',
      ].join('\n'),
    );
    expect(some.stderr).toContain('required gates not recorded as passed at');
    expect(some.stderr).toContain(': cpu:fail');

    // A later failing attempt withdraws a pass; a claim that is not recorded never appears.
    writeFile(join(repo, 'gantry', 'gates.toml'), testRegistry().replace("console.log('ok gate ran in ' + process.cwd())", 'process.exit(1)'));
    await cli(repo, 'gates', 'run', 'cpu:ok', '--contract', 'gantry/contract.yml');
    expect((await attest()).doc.gates_passed).toEqual({ tier_a: [], tier_b: [] });

    // Passes recorded at another commit do not count for this one.
    writeFile(join(repo, 'gantry', 'gates.toml'), testRegistry());
    commit(repo, { 'nmoe/attention/c.py': 'c\n' });
    const moved = await cli(repo, 'attest', '--contract', 'gantry/contract.yml', '--base', 'master', '--json');
    expect(JSON.parse(moved.stdout)).toMatchObject({ tier_a: [], tier_b: [], runs: [], not_passed: ['cpu:ok', 'cpu:fail'] });
  });
});
