import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { GANTRY_BIN, REPO_ROOT, gantry, gantryBackground, tempProject, waitFor, writeVisualEssayOutputs } from '../support/gantry.js';
import { GANTRY, Tmux } from './tmux.js';

let tmux: Tmux | undefined;
afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
});

const runIdIn = (runs: string) => (existsSync(runs) ? readdirSync(runs).find((d) => d.startsWith('run_')) : undefined);

describe('gantry watch', () => {
  it('follows a headless run from a second pane and answers its gates there', async () => {
    const p = await tempProject();
    tmux = new Tmux();
    await tmux.start(p.dir, { x: 120, y: 62 });
    const top = 't:0.0';
    const bottom = await tmux.split(p.dir);
    await tmux.run(top, `${GANTRY} run visual-essay --slug w --artifact-path w --approvals external --no-tty`);
    await tmux.waitFor(top, '[G1] waiting for an answer');
    expect(await tmux.alternateOn(top)).toBe(false);

    await tmux.run(bottom, `${GANTRY} watch`);
    let s = await tmux.waitFor(bottom, 'G1 is waiting for an answer — press a');
    expect(s).toMatch(/visual-essay · RUNNING · .* · watching/);
    expect(await tmux.alternateOn(bottom)).toBe(true);

    writeVisualEssayOutputs(p.dir, 'w', ['G1']);
    await tmux.keys(bottom, 'a');
    await tmux.waitFor(bottom, 'required outputs · 1/1 present');
    await tmux.keys(bottom, 'f');
    await tmux.waitFor(top, /\[G1\] finish requested by \S+ \(gantry watch\)/);
    await tmux.waitFor(top, '[G1] PASS (attempt 1)');
    s = await tmux.waitFor(bottom, 'G2 is waiting for an answer');
    expect(s).toMatch(/✓ G1\s+Intake Approval/);

    await tmux.keys(bottom, 'a', 'x');
    await tmux.waitFor(bottom, 'reason for failing');
    await tmux.type(bottom, 'sources are paywalled');
    await tmux.keys(bottom, 'Enter');
    await tmux.waitFor(top, '[G2] FAIL (attempt 1): sources are paywalled');
    await tmux.waitForPrompt(top);
    expect(await tmux.lastExitCode(top)).toBe(1);
    s = await tmux.waitFor(bottom, /visual-essay · FAILED/);
    expect(s).toMatch(/✗ G2\s+Research Complete/);

    await tmux.keys(bottom, 'q');
    await tmux.waitForPrompt(bottom);
    expect(await tmux.alternateOn(bottom)).toBe(false);
    expect(await tmux.lastExitCode(bottom)).toBe(0);
  });

  it('without a terminal prints plain lines and ends with the run, with its exit code', async () => {
    const p = await tempProject();
    const headless = gantryBackground(['run', 'visual-essay', '--slug', 'w', '--artifact-path', 'w', '--approvals', 'external', '--no-tty'], { cwd: p.dir });
    await waitFor(() => runIdIn(p.runs) !== undefined, 20_000, 'the run folder');
    const id = runIdIn(p.runs)!;
    const watching = gantryBackground(['watch'], { cwd: p.dir });
    writeVisualEssayOutputs(p.dir, 'w', ['G1']);
    await waitFor(async () => (await gantry(['run', 'show', '--run', id, '--json'], { cwd: p.dir })).stdout.includes('"WAITING"'), 20_000, 'G1 waiting');
    expect((await gantry(['gate', 'finish', '--run', id, '--gate', 'G1'], { cwd: p.dir })).code).toBe(0);
    await waitFor(async () => (await gantry(['run', 'show', '--run', id, '--json'], { cwd: p.dir })).stdout.includes('"WAITING"'), 20_000, 'G2 waiting');
    expect((await gantry(['gate', 'fail', '--run', id, '--gate', 'G2', '--reason', 'stop here'], { cwd: p.dir })).code).toBe(1);
    const [w, h] = await Promise.all([watching, headless]);
    expect(h.exitCode).toBe(1);
    expect(w.exitCode, w.stderr).toBe(1);
    expect(w.stdout).toContain(`run ${id} started: workflow visual-essay`);
    expect(w.stdout).toContain('[G1] PASS (attempt 1)');
    expect(w.stdout).toContain('[G2] FAIL (attempt 1): stop here');
    expect(w.stdout.trim().split('\n').at(-1)).toBe(`run ${id} FAILED: G2 failed: stop here`);
  });

  it('without a terminal never loads Ink or React', async () => {
    const p = await tempProject();
    writeVisualEssayOutputs(p.dir, 'w');
    expect((await gantry(['run', 'visual-essay', '--slug', 'w', '--artifact-path', 'w', '--yes', '--no-tty'], { cwd: p.dir })).code).toBe(0);
    const r = await execa('node', ['--import', join(REPO_ROOT, 'test', 'support', 'forbid-ui.mjs'), GANTRY_BIN, 'watch', runIdIn(p.runs)!, '--no-tty'], { cwd: p.dir, reject: false, stdin: 'ignore' });
    expect(r.stderr).not.toContain('UI module loaded');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('[G3] PASS (attempt 1)');
  });

  it('names the problem when no run is running, or the run does not exist', async () => {
    const p = await tempProject();
    const none = await gantry(['watch'], { cwd: p.dir });
    expect(none.code).toBe(5);
    expect(none.stderr).toContain(`no run is RUNNING in ${p.runs}`);
    const missing = await gantry(['watch', 'run_20250101T000000Z_x_abcdef'], { cwd: p.dir });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no run run_20250101T000000Z_x_abcdef');
  });

  it('the demo flow: the cockpit shows its phase pipeline advancing to PASSED', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gantry-demo-watch-')), 'demo');
    tmux = new Tmux();
    await tmux.start(tmpdir(), { x: 120, y: 62 });
    const top = 't:0.0';
    const bottom = await tmux.split(tmpdir());
    await tmux.run(top, `${GANTRY} demo --dir ${dir} --no-tty`);
    const runs = join(dir, 'gantry', 'runs');
    await waitFor(() => runIdIn(runs) !== undefined && existsSync(join(runs, runIdIn(runs)!, 'record', 'events.jsonl')), 60_000, 'the demo run');
    await tmux.run(bottom, `${GANTRY} watch --workspace ${join(dir, 'gantry')}`);
    const seen = new Set<number>();
    const final = await tmux.waitFor(
      bottom,
      (s) => {
        if (s.includes('remote-experiment')) seen.add((s.match(/[✓↷] P\d\d/g) ?? []).length);
        return s.includes('remote-experiment · PASSED');
      },
      90_000,
      'the flow to pass',
    );
    for (const phase of ['P00 PRECHECK', 'P20 TARGET_BIND', 'P30 POD_READY', 'P60 SWEEP', 'P70 MONITOR', 'P80 FETCH', 'P99 SUMMARY']) expect(final).toMatch(new RegExp(`[✓↷] ${phase}`));
    expect(final).toMatch(/target local\s+source explicit/);
    expect(final).toContain('transport local');
    expect(seen.size, `distinct pipeline states seen: ${[...seen].join(', ')}`).toBeGreaterThan(1);
    await tmux.waitForPrompt(top, 60_000);
    await tmux.keys(bottom, 'q');
    await tmux.waitForPrompt(bottom);
    expect(await tmux.alternateOn(bottom)).toBe(false);
  });
});
