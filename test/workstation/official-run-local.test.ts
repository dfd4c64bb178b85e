import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { auditFolders, OFFICIAL, readJson, workstationProject } from './fixture.js';

const AUDIT_FILES = ['command.sh', 'context.json', 'data_quality.log', 'data_quality_command.sh', 'preflight.json', 'result.json', 'run.log'];

describe('gantry official-run on this machine', () => {
  it('runs preflight, the DQ gate and the command, and leaves a complete audit folder and a gantry run', async () => {
    const p = await workstationProject();
    const args = ["it's a \"quoted\" $(arg)", '--sharpe', '1.7'];
    const r = await p.cli([...OFFICIAL('committee_2026-02-21_run1', '--notes', 'official workstation run', '--threads', '3', '--dq-input-csv', 'data/good.csv'), '--', ...args]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('DQ OK');
    expect(r.stdout).toContain(`arg: it's a "quoted" $(arg)`);
    expect(r.stdout).toContain('threads: 3 3');
    expect(r.stdout).toMatch(/result: success \(exit 0\)/);

    const [dir] = auditFolders(p.ws);
    expect(basename(dir!)).toMatch(/^\d{8}T\d{6}Z_production_gates_committee_2026-02-21_run1$/);
    for (const f of AUDIT_FILES) expect(existsSync(join(dir!, f)), f).toBe(true);

    const context = readJson(join(dir!, 'context.json'));
    expect(context).toMatchObject({ tag: 'committee_2026-02-21_run1', owner: 'hui', notes: 'official workstation run', threads: 3, target: 'local', args });
    expect(context.command).toEqual(['sh', 'scripts/run_workflow.sh', ...args]);
    expect(context.git).toMatchObject({ repo: true, branch: 'main', dirty: false });
    expect(context.data_quality).toMatchObject({ status: 'passed', input_csv: 'data/good.csv', exit_code: 0 });
    expect(context.thread_env).toEqual({ OMP_NUM_THREADS: '3', MKL_NUM_THREADS: '3', OPENBLAS_NUM_THREADS: '3', NUMEXPR_NUM_THREADS: '3', VECLIB_MAXIMUM_THREADS: '3' });

    const result = readJson(join(dir!, 'result.json'));
    expect(result).toMatchObject({ status: 'success', exit_code: 0 });
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0]).toMatch(/^gate_results\/production_gates_\d+_\d+\/production_gates_report\.json$/);
    expect(readJson(join(p.dir, result.reports[0])).summary.sharpe).toBe(1.7);
    expect(readJson(join(dir!, 'preflight.json'))).toMatchObject({ ok: true, thresholds: { min_cores: 1, min_mem_gb: 0.5 } });
    expect(readFileSync(join(dir!, 'run.log'), 'utf8')).toContain(`report: ${result.reports[0].replace(/\/production_gates_report.json$/, '')}`);

    // command.sh is exactly what ran: run again by hand, it gets the same arguments and variables.
    const again = await execa('sh', [join(dir!, 'command.sh')], { cwd: '/' });
    expect(again.stdout).toContain(`arg: it's a "quoted" $(arg)`);
    expect(again.stdout).toContain('threads: 3 3');

    const list = await p.cli(['run', 'list', '--json']);
    const [run] = JSON.parse(list.stdout);
    expect(run).toMatchObject({ workflow: 'official-run', status: 'PASSED', slug: 'committee_2026-02-21_run1' });
    const shown = JSON.parse((await p.cli(['run', 'show', '--run', run.run_id, '--json'])).stdout);
    expect(shown.phases.map((ph: { step: string; status: string }) => `${ph.step}:${ph.status}`)).toEqual(['P1:ok', 'P2:ok', 'P3:ok']);
    expect(context.gantry_run_id).toBe(run.run_id);
  });

  it('refuses a tag that already exists', async () => {
    const p = await workstationProject();
    expect((await p.cli([...OFFICIAL('t1', '--skip-dq', '--skip-reason', 'dry'), '--'])).code).toBe(0);
    const r = await p.cli([...OFFICIAL('t1', '--skip-dq', '--skip-reason', 'dry'), '--']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tag "t1" already exists');
    expect(auditFolders(p.ws)).toHaveLength(1);
  });

  it('blocks the run when the data-quality gate fails', async () => {
    const p = await workstationProject();
    const r = await p.cli([...OFFICIAL('dq_bad', '--dq-input-csv', 'data/bad.csv'), '--']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DQ FAIL: NaN values');
    expect(r.stdout).not.toContain('threads:');
    const [dir] = auditFolders(p.ws);
    expect(existsSync(join(dir!, 'command.sh'))).toBe(false);
    expect(existsSync(join(dir!, 'run.log'))).toBe(false);
    expect(readFileSync(join(dir!, 'data_quality.log'), 'utf8')).toContain('DQ FAIL');
    expect(readFileSync(join(dir!, 'data_quality_command.sh'), 'utf8')).toContain("exec sh scripts/dq_check.sh data/bad.csv");
    expect(readJson(join(dir!, 'result.json'))).toMatchObject({ status: 'blocked', blocked_by: 'data_quality' });
    expect(readJson(join(dir!, 'context.json')).data_quality).toMatchObject({ status: 'failed', exit_code: 3 });
    const [run] = JSON.parse((await p.cli(['run', 'list', '--json'])).stdout);
    expect(run.status).toBe('FAILED');
  });

  it('needs a reason to skip the data-quality gate, and records the skip as an audit trace', async () => {
    const p = await workstationProject();
    const refused = await p.cli([...OFFICIAL('no_dq'), '--']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('requires the data-quality gate');
    const noReason = await p.cli([...OFFICIAL('no_dq', '--skip-dq'), '--']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--skip-dq needs --skip-reason');
    expect(auditFolders(p.ws)).toHaveLength(0);

    const r = await p.cli([...OFFICIAL('skipped', '--skip-dq', '--skip-reason', 'vendor feed verified by hand'), '--']);
    expect(r.code, r.stderr).toBe(0);
    const [dir] = auditFolders(p.ws);
    expect(readJson(join(dir!, 'context.json')).data_quality).toMatchObject({ status: 'skipped', skip_reason: 'vendor feed verified by hand', skipped_by: 'hui' });
    expect(existsSync(join(dir!, 'data_quality.log'))).toBe(false);
    const [run] = JSON.parse((await p.cli(['run', 'list', '--json'])).stdout);
    const shown = JSON.parse((await p.cli(['run', 'show', '--run', run.run_id, '--json'])).stdout);
    expect(shown.phases[1]).toMatchObject({ step: 'P2', status: 'skip', message: 'skipped by hui (--skip-dq): vendor feed verified by hand' });
  });

  it('runs the arguments after -- as the whole command when the workflow has no configured base command', async () => {
    const p = await workstationProject();
    const r = await p.cli(['official-run', '--workflow', 'adhoc', '--tag', 'a1', '--owner', 'hui', '--', 'sh', '-c', 'echo "whole command: $0"', 'x y']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('whole command: x y');
    expect(readJson(join(auditFolders(p.ws)[0]!, 'context.json')).command).toEqual(['sh', '-c', 'echo "whole command: $0"', 'x y']);
  });
});

describe('gantry preflight', () => {
  it('passes within the thresholds and fails, naming the reason, above what the machine has', async () => {
    const p = await workstationProject();
    const ok = await p.cli(['preflight', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ ok: true, git: { repo: true, branch: 'main', dirty: false } });
    expect(report.cores).toBeGreaterThan(0);

    const high = await p.cli(['preflight', '--min-cores', '100000', '--min-mem-gb', '100000']);
    expect(high.code).toBe(1);
    expect(high.stdout).toMatch(/FAIL\s+cores\s+\d+ cores < 100000 required/);
    expect(high.stdout).toMatch(/FAIL\s+memory\s+[\d.]+ GB < 100000 GB required/);
  });

  it('fails on a dirty tree with --require-clean, and blocks an official run', async () => {
    const p = await workstationProject();
    writeFileSync(join(p.dir, 'scripts/run_workflow.sh'), '# edited\n', { flag: 'a' });
    expect((await p.cli(['preflight'])).code).toBe(0);
    const dirty = await p.cli(['preflight', '--require-clean']);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain('--require-clean: working tree is dirty');
    expect(dirty.stdout).toContain('scripts/run_workflow.sh');

    const run = await p.cli([...OFFICIAL('dirty', '--require-clean', '--skip-dq', '--skip-reason', 'n/a'), '--']);
    expect(run.code).toBe(1);
    const [dir] = auditFolders(p.ws);
    expect(readJson(join(dir!, 'preflight.json'))).toMatchObject({ ok: false, git: { dirty: true } });
    expect(readJson(join(dir!, 'result.json'))).toMatchObject({ status: 'blocked', blocked_by: 'preflight' });
    expect(existsSync(join(dir!, 'command.sh'))).toBe(false);
  });

  it('blocks an official run on thresholds set above the machine in workstation.toml', async () => {
    const p = await workstationProject();
    writeFileSync(join(p.ws, 'workstation.toml'), readFileSync(join(p.ws, 'workstation.toml'), 'utf8').replace('min_cores = 1', 'min_cores = 100000'));
    const r = await p.cli([...OFFICIAL('too_small', '--skip-dq', '--skip-reason', 'n/a'), '--']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL cores: \d+ cores < 100000 required/);
    expect(r.stdout).toContain('result: blocked');
  });
});
