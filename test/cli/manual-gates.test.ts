import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gantry, tempProject, writeVisualEssayOutputs } from '../support/gantry.js';

const startRun = async (dir: string, slug = 'the-word-robot', artifact = 'essays/robot') => {
  const r = await gantry(['run', 'start', '--workflow', 'visual-essay', '--slug', slug, '--artifact-path', artifact, '--depth', 'quick'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
};

describe('manual mode: run start, gate start, gate finish (seed 003)', () => {
  it('prints the run id alone and creates the record', async () => {
    const { dir, runs } = await tempProject();
    const id = await startRun(dir);
    expect(id).toMatch(/^run_\d{8}T\d{6}Z_the-word-robot_[0-9a-f]{6}$/);
    const run = JSON.parse(readFileSync(join(runs, id, 'record', 'RUN.json'), 'utf8'));
    expect(run).toMatchObject({
      run_id: id,
      workflow: { name: 'visual-essay', version: 'local-dev', slug: 'the-word-robot', artifact_path: 'essays/robot' },
      depth: 'quick',
      status: 'RUNNING',
      finished_at: null,
    });
    expect(run.gates.map((g: { gate: string }) => g.gate)).toEqual(['G1', 'G2', 'G3']);
    for (const k of ['invocations', 'artifacts_index', 'validations', 'events']) expect(Array.isArray(run[k])).toBe(true);
  });

  it('finishes a gate with PASS and records sha256 equal to sha256sum', async () => {
    const { dir, runs } = await tempProject();
    const id = await startRun(dir);
    expect((await gantry(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'intake-agent'], { cwd: dir })).code).toBe(0);
    const inv = await gantry(['invocation', 'record', '--run', id, '--gate', 'G1', '--agent', 'intake-agent', '--status=SUCCESS'], { cwd: dir });
    expect(inv.code).toBe(0);
    writeVisualEssayOutputs(dir, 'essays/robot', ['G1']);
    const fin = await gantry(['gate', 'finish', '--run', id, '--gate', 'G1'], { cwd: dir });
    expect(fin.code, fin.stderr).toBe(0);
    expect(fin.stdout).toContain('[G1] PASS');
    const attempt = JSON.parse(readFileSync(join(runs, id, 'record', 'gates', 'G1', 'attempt-1.json'), 'utf8'));
    const expected = execFileSync('sha256sum', [join(dir, 'essays/robot/intake/BRIEF.md')], { encoding: 'utf8' }).split(' ')[0];
    expect(attempt).toMatchObject({ attempt: 1, status: 'PASS', agent: 'intake-agent', failure_reason: null });
    expect(attempt.artifacts).toEqual([
      expect.objectContaining({ path: '{artifact_path}/intake/BRIEF.md', sha256: expected, exists: true }),
    ]);
    expect(attempt.invocation_ids).toEqual([inv.stdout.trim()]);
    expect(attempt.validations.every((v: { pass: boolean }) => v.pass)).toBe(true);
  });

  it('fails a gate whose output is missing, lists the failing check, and numbers the next attempt 2', async () => {
    const { dir, runs } = await tempProject();
    const id = await startRun(dir);
    await gantry(['gate', 'start', '--run', id, '--gate', 'G2', '--agent', 'research'], { cwd: dir });
    const fin = await gantry(['gate', 'finish', '--run', id, '--gate', 'G2'], { cwd: dir });
    expect(fin.code).toBe(1);
    expect(fin.stdout).toMatch(/FAIL file_exists essays\/robot\/research\/CITATIONS.md — file does not exist/);
    const a1 = JSON.parse(readFileSync(join(runs, id, 'record/gates/G2/attempt-1.json'), 'utf8'));
    expect(a1.status).toBe('FAIL');
    expect(a1.failure_reason).toContain('CITATIONS.md');
    expect(a1.artifacts[0]).toMatchObject({ exists: false, sha256: null });

    await gantry(['gate', 'start', '--run', id, '--gate', 'G2', '--agent', 'research'], { cwd: dir });
    writeVisualEssayOutputs(dir, 'essays/robot', ['G2']);
    expect((await gantry(['gate', 'finish', '--run', id, '--gate=G2'], { cwd: dir })).code).toBe(0);
    const a2 = JSON.parse(readFileSync(join(runs, id, 'record/gates/G2/attempt-2.json'), 'utf8'));
    expect(a2).toMatchObject({ attempt: 2, status: 'PASS' });
  });

  it('records a manual gate fail with its reason', async () => {
    const { dir, runs } = await tempProject();
    const id = await startRun(dir);
    await gantry(['gate', 'start', '--run', id, '--gate', 'G3', '--agent', 'spec'], { cwd: dir });
    const r = await gantry(['gate', 'fail', '--run', id, '--gate', 'G3', '--reason', 'Missing required quotes'], { cwd: dir });
    expect(r.code).toBe(1);
    const a = JSON.parse(readFileSync(join(runs, id, 'record/gates/G3/attempt-1.json'), 'utf8'));
    expect(a).toMatchObject({ status: 'FAIL', failure_reason: 'Missing required quotes' });
  });

  it('lists, shows and completes runs', async () => {
    const { dir } = await tempProject();
    const a = await startRun(dir, 'alpha', 'essays/a');
    const b = await startRun(dir, 'beta', 'essays/b');
    const list = await gantry(['run', 'list', '--json'], { cwd: dir });
    const rows = JSON.parse(list.stdout);
    expect(rows.map((r: { run_id: string }) => r.run_id).sort()).toEqual([a, b].sort());
    expect((await gantry(['run', 'complete', '--run', a, '--status', 'CANCELED'], { cwd: dir })).code).toBe(0);
    const show = await gantry(['run', 'show', '--run', a, '--json'], { cwd: dir });
    expect(JSON.parse(show.stdout)).toMatchObject({ run_id: a, status: 'CANCELED' });
    expect(JSON.parse(show.stdout).finished_at).not.toBeNull();
    const plain = await gantry(['run', 'show', '--run', b], { cwd: dir });
    expect(plain.stdout).toContain('G1   Intake Approval');
    const again = await gantry(['run', 'complete', '--run', a], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already CANCELED');
  });

  it('gives one clear error for unknown runs, gates and options', async () => {
    const { dir } = await tempProject();
    const id = await startRun(dir);
    const noRun = await gantry(['run', 'show', '--run', 'run_20990101T000000Z_x_000000'], { cwd: dir });
    expect(noRun.code).toBe(5);
    expect(noRun.stderr).toMatch(/^gantry: no run run_20990101T000000Z_x_000000\n/);
    const noGate = await gantry(['gate', 'start', '--run', id, '--gate', 'G9', '--agent', 'x'], { cwd: dir });
    expect(noGate.code).toBe(5);
    expect(noGate.stderr).toContain('its gates: G1, G2, G3');
    const badOpt = await gantry(['run', 'list', '--bogus'], { cwd: dir });
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr).toContain("Unknown option '--bogus'");
    for (const r of [noRun, noGate, badOpt]) expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
