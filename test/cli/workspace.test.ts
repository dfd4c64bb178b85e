import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gantry, tempProject, tmp, writeFile } from '../support/gantry.js';

describe('workspace: init, resolution, doctor, schema', () => {
  it('init creates workflow.env, workflows/, contracts/, runs/ and a .gitignore for logs', async () => {
    const dir = tmp();
    const r = await gantry(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    for (const p of ['workflow.env', 'workflows', 'contracts', 'runs']) expect(existsSync(join(dir, 'gantry', p))).toBe(true);
    expect(readFileSync(join(dir, 'gantry/.gitignore'), 'utf8')).toContain('runs/*/logs/');
    expect(readFileSync(join(dir, 'gantry/workflow.env'), 'utf8')).toContain('WF_PHASE_COURT_ENFORCE=1');
    expect((await gantry(['init'], { cwd: dir })).stdout).toContain('already initialised');
  });

  it('resolves --workspace, then $GANTRY_WORKSPACE, then gantry/ at the git top level', async () => {
    const repo = realpathSync(tmp());
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const sub = join(repo, 'deep', 'er');
    mkdirSync(sub, { recursive: true });
    expect((await gantry(['init', '--json'], { cwd: sub })).stdout).toContain(`"workspace":"${repo}/gantry"`);
    const other = realpathSync(tmp());
    expect((await gantry(['init', '--json'], { cwd: sub, env: { GANTRY_WORKSPACE: other } })).stdout).toContain(`"workspace":"${other}"`);
    const flag = join(other, 'flagged');
    expect((await gantry(['init', '--json', '--workspace', flag], { cwd: sub, env: { GANTRY_WORKSPACE: other } })).stdout).toContain(`"workspace":"${flag}"`);
  });

  it('commands outside an initialised workspace say how to create one', async () => {
    const r = await gantry(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a'], { cwd: tmp() });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('gantry init');
  });

  it('a workspace file overrides the shipped workflow of the same name', async () => {
    const { dir, ws } = await tempProject();
    writeFile(join(ws, 'workflows/visual-essay.yaml'), 'name: visual-essay\nversion: mine\nsteps:\n  - { id: G1, name: Only, kind: approval }\n');
    const id = (await gantry(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a'], { cwd: dir })).stdout.trim();
    const run = JSON.parse((await gantry(['run', 'show', '--run', id, '--json'], { cwd: dir })).stdout);
    expect(run.workflow.version).toBe('mine');
    expect(run.gates).toHaveLength(1);
  });

  it('doctor reports one line per check and fails on a broken workflow with file:line', async () => {
    const { dir, ws } = await tempProject();
    const ok = await gantry(['doctor'], { cwd: dir });
    expect(ok.code, ok.stdout).toBe(0);
    for (const name of ['node', 'git', 'ssh', 'tmux', 'workspace', 'workflow.env', 'workflow visual-essay', 'contract visual-essay/G2.contract.json'])
      expect(ok.stdout).toMatch(new RegExp(`^ok +${name.replace('.', '\\.')}`, 'm'));
    writeFile(join(ws, 'workflows/broken.yaml'), 'name: broken\nsteps:\n  - id: G1\n    name: One\n    kind: teleport\n');
    const bad = await gantry(['doctor'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL +workflow broken .*broken\.yaml:5: steps\.0\.kind/m);
  });

  it('a malformed workflow gives one clear error with file:line and exit 3', async () => {
    const { dir, ws } = await tempProject();
    writeFile(join(ws, 'workflows/bad.yaml'), 'name: bad\nsteps:\n  - id: G1\n    name: One\n    kind: gate\n');
    const r = await gantry(['run', 'start', '--workflow', 'bad', '--slug', 's', '--artifact-path', 'a'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bad\.yaml:3: steps\.0\.contract: a gate step needs a contract/);
    writeFile(join(ws, 'workflows/syntax.yaml'), 'name: syntax\nsteps: [\n');
    const s = await gantry(['run', 'start', '--workflow', 'syntax', '--slug', 's', '--artifact-path', 'a'], { cwd: dir });
    expect(s.code).toBe(3);
    expect(s.stderr).toMatch(/syntax\.yaml:\d+:\d+/);
  });

  it('schema prints a JSON Schema for each format', async () => {
    const dir = tmp();
    for (const name of ['workflow', 'gate-contract', 'event', 'run', 'attempt']) {
      const r = await gantry(['schema', name], { cwd: dir });
      expect(r.code, name).toBe(0);
      expect(JSON.parse(r.stdout).$schema).toMatch(/json-schema/);
    }
    const contract = JSON.parse((await gantry(['schema', 'gate-contract'], { cwd: dir })).stdout);
    expect(Object.keys(contract.properties)).toEqual(expect.arrayContaining(['gate', 'required_outputs', 'validations']));
    const bad = await gantry(['schema', 'nope'], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  it('--version answers without loading the console', async () => {
    const r = await gantry(['--version'], { cwd: tmp() });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
