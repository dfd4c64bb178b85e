import { appendFileSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gantry, tempProject, tmp, writeFile } from '../support/gantry.js';

const start = async (dir: string) =>
  (await gantry(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'a'], { cwd: dir })).stdout.trim();

describe('the record survives damage', () => {
  it('cuts a torn last line of events.jsonl back to the last newline and notes it', async () => {
    const { dir, runs } = await tempProject();
    const id = await start(dir);
    const log = join(runs, id, 'record/events.jsonl');
    appendFileSync(log, '{"seq":2,"ts":"2026-01-01T00:00:00.000Z","type":"gate.sta');
    const show = await gantry(['run', 'show', '--run', id, '--json'], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).event_count).toBe(1);
    expect((await gantry(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a'], { cwd: dir })).code).toBe(0);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.type)).toEqual(['run.started', 'note', 'gate.started']);
    expect(lines[1].message).toMatch(/cut a torn last line \(\d+ bytes\)/);
    expect(lines.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('rebuilds a deleted or corrupt RUN.json from events.jsonl', async () => {
    const { dir, runs } = await tempProject();
    const id = await start(dir);
    await gantry(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a'], { cwd: dir });
    const runJson = join(runs, id, 'record/RUN.json');
    const before = JSON.parse(readFileSync(runJson, 'utf8'));
    rmSync(runJson);
    const shown = JSON.parse((await gantry(['run', 'show', '--run', id, '--json'], { cwd: dir })).stdout);
    expect(shown).toEqual(before);
    expect(JSON.parse(readFileSync(runJson, 'utf8'))).toEqual(before);
    writeFileSync(runJson, '{"run_id": "half');
    expect(JSON.parse((await gantry(['run', 'show', '--run', id, '--json'], { cwd: dir })).stdout)).toEqual(before);
  });

  it('rebuilds a stale RUN.json that lags the event log', async () => {
    const { dir, runs } = await tempProject();
    const id = await start(dir);
    const runJson = join(runs, id, 'record/RUN.json');
    const stale = readFileSync(runJson, 'utf8');
    await gantry(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a'], { cwd: dir });
    writeFileSync(runJson, stale);
    const shown = JSON.parse((await gantry(['run', 'show', '--run', id, '--json'], { cwd: dir })).stdout);
    expect(shown.gates[0].status).toBe('RUNNING');
  });
});

describe('contract output paths stay inside the workspace', () => {
  const withContract = async (outputs: string[]) => {
    const p = await tempProject();
    writeFile(join(p.ws, 'workflows/escape.yaml'), 'name: escape\nsteps:\n  - { id: G1, name: Escape, kind: gate, contract: escape/G1.contract.json }\n');
    writeFile(join(p.ws, 'contracts/escape/G1.contract.json'), JSON.stringify({ gate: 'G1', name: 'Escape', required_outputs: outputs }));
    const id = (await gantry(['run', 'start', '--workflow', 'escape', '--slug', 's', '--artifact-path', 'a'], { cwd: p.dir })).stdout.trim();
    await gantry(['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a'], { cwd: p.dir });
    return { ...p, id };
  };

  it.each([
    ['../../etc/passwd', 'climbs out with ".."'],
    ['{artifact_path}/../../../etc/passwd', 'climbs out with ".."'],
    ['/etc/passwd', 'is absolute'],
    ['{nope}/x', 'unknown path variable {nope}'],
  ])('refuses %s', async (output, message) => {
    const { dir, id } = await withContract([output]);
    const r = await gantry(['gate', 'finish', '--run', id, '--gate', 'G1'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
  });

  it('refuses a symlink that leads out', async () => {
    const { dir, id } = await withContract(['{artifact_path}/out/secret.txt']);
    const outside = tmp();
    writeFileSync(join(outside, 'secret.txt'), 'x');
    mkdirSync(join(dir, 'a'), { recursive: true });
    symlinkSync(outside, join(dir, 'a', 'out'));
    const r = await gantry(['gate', 'finish', '--run', id, '--gate', 'G1'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('through a symlink');
  });

  it('refuses an --artifact-path that climbs out', async () => {
    const { dir } = await tempProject();
    const r = await gantry(['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', '../x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('without ".."');
  });
});

describe('secrets never reach a record or a log', () => {
  it('redacts a planted secret from env, prompt file and gate reason', async () => {
    const { dir, runs } = await tempProject();
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const envSecret = 'hunter2-very-secret-value';
    const prompt = join(dir, 'prompt.txt');
    writeFileSync(prompt, `use token ${token} and DB_PASSWORD=${envSecret}\n`);
    const env = { MY_API_TOKEN: envSecret };
    const r = await gantry(['run', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--prompt-file', prompt, '--approvals', 'external', '--approval-timeout', '1'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const id = readdirSync(runs)[0]!;
    await gantry(['gate', 'start', '--run', id, '--gate', 'G2', '--agent', 'x'], { cwd: dir, env });
    await gantry(['gate', 'fail', '--run', id, '--gate', 'G2', '--reason', `leaked ${envSecret} and ${token}`], { cwd: dir, env });
    const files = readdirSync(join(runs, id), { recursive: true, encoding: 'utf8' }).map((f) => join(runs, id, f));
    let scanned = 0;
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue;
      }
      scanned++;
      expect(text, f).not.toContain(envSecret);
      expect(text, f).not.toContain(token);
    }
    expect(scanned).toBeGreaterThan(3);
    expect(readFileSync(join(runs, id, 'logs/gates/G1/prompt.txt'), 'utf8')).toContain('[REDACTED]');
  });
});
