import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gantry, tempProject, writeVisualEssayOutputs } from '../support/gantry.js';
import { GANTRY, Tmux } from './tmux.js';

let tmux: Tmux | undefined;
afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
});

const runRecord = (runs: string) => {
  const [id] = readdirSync(runs);
  return { id: id!, rec: JSON.parse(readFileSync(join(runs, id!, 'record', 'RUN.json'), 'utf8')) as { status: string; finish_reason: string | null } };
};

/** A visual-essay pipeline in a tmux pane, its cockpit open with G1 waiting. */
async function pipelineWaitingAtG1() {
  const p = await tempProject();
  const term = new Tmux();
  tmux = term;
  await term.start(p.dir);
  const pane = 't:0.0';
  await term.run(pane, `${GANTRY} run visual-essay --slug essay --artifact-path essay`);
  await term.waitFor(pane, 'G1 is waiting for an answer');
  return { p, pane, term };
}

describe('the cockpit in a real terminal (tmux)', () => {
  it('gantry run <workflow>: the pipeline advances as gates are approved by keys; q leaves the alternate screen', async () => {
    const p = await tempProject();
    tmux = new Tmux();
    await tmux.start(p.dir);
    const pane = 't:0.0';
    await tmux.run(pane, `${GANTRY} run visual-essay --slug essay --artifact-path essay`);
    let s = await tmux.waitFor(pane, 'G1 is waiting for an answer — press a to open its packet');
    expect(await tmux.alternateOn(pane)).toBe(true);
    expect(s).toMatch(/\? G1\s+Intake Approval/);
    expect(s).toMatch(/· G2\s+Research Complete/);
    expect(s).toMatch(/· G3\s+Spec Approval/);

    await tmux.keys(pane, 'a');
    s = await tmux.waitFor(pane, 'required outputs · 0/1 present');
    expect(s).toContain('# Prompt packet — G1 Intake Approval (attempt 1)');
    expect(s).toContain('✗ essay/intake/BRIEF.md');
    writeVisualEssayOutputs(p.dir, 'essay', ['G1']);
    s = await tmux.waitFor(pane, 'required outputs · 1/1 present');
    expect(s).toContain('✓ essay/intake/BRIEF.md');
    await tmux.keys(pane, 'f');
    s = await tmux.waitFor(pane, 'G2 is waiting for an answer');
    expect(s).toMatch(/✓ G1\s+Intake Approval/);
    expect(s).toMatch(/\? G2\s+Research Complete/);

    writeVisualEssayOutputs(p.dir, 'essay', ['G2', 'G3']);
    await tmux.keys(pane, 'a');
    await tmux.waitFor(pane, /required outputs · (\d)\/\1 present/);
    await tmux.keys(pane, 'f');
    await tmux.waitFor(pane, 'G3 is waiting for an answer');
    await tmux.keys(pane, 'a');
    await tmux.waitFor(pane, /required outputs · (\d)\/\1 present/);
    await tmux.keys(pane, 'f');
    s = await tmux.waitFor(pane, 'run PASSED — press q to leave');
    expect(s).toMatch(/✓ G1[\s\S]*✓ G2[\s\S]*✓ G3/);
    expect(s).toContain('visual-essay · PASSED');

    await tmux.keys(pane, 'q');
    await tmux.waitForPrompt(pane);
    expect(await tmux.alternateOn(pane)).toBe(false);
    expect(await tmux.lastExitCode(pane)).toBe(0);
    expect(runRecord(p.runs).rec.status).toBe('PASSED');
  });

  it('Ctrl-C cancels the run cleanly (recorded CANCELED, exit 130) and gives the shell its screen back', async () => {
    const { p, pane, term } = await pipelineWaitingAtG1();
    await term.keys(pane, 'C-c');
    await term.waitForPrompt(pane);
    expect(await term.alternateOn(pane)).toBe(false);
    expect(await term.lastExitCode(pane)).toBe(130);
    const { rec } = runRecord(p.runs);
    expect(rec.status).toBe('CANCELED');
    expect(rec.finish_reason).toBe('canceled by SIGINT');
  });

  it('q with a gate waiting asks first; leaving keeps the run going, answerable from any shell', async () => {
    const { p, pane, term } = await pipelineWaitingAtG1();
    await term.keys(pane, 'q');
    await term.waitFor(pane, 'G1 is waiting for an answer. Leave the console?');
    await term.keys(pane, 'n');
    await term.waitFor(pane, (x) => !x.includes('Leave the console?') && x.includes('G1 is waiting'));
    await term.keys(pane, 'q', 'y');
    const s = await term.waitFor(pane, /console closed; run \S+ goes on here/);
    expect(await term.alternateOn(pane)).toBe(false);
    const id = /console closed; run (\S+) goes on here/.exec(s)![1]!;
    const answered = await gantry(['gate', 'fail', '--run', id, '--gate', 'G1', '--reason', 'not this week'], { cwd: p.dir });
    expect(answered.code, answered.stderr).toBe(1);
    await term.waitFor(pane, /\[G1\] FAIL \(attempt 1\): not this week/);
    await term.waitForPrompt(pane);
    expect(await term.lastExitCode(pane)).toBe(1);
  });

  it('a crash inside the console still restores the terminal', async () => {
    const p = await tempProject();
    tmux = new Tmux();
    await tmux.start(p.dir);
    const pane = 't:0.0';
    const terminal = join(GANTRY.split(' ')[1]!, '..', 'console', 'terminal.js');
    await tmux.run(pane, `node --input-type=module -e "const m = await import('${terminal}'); m.holdAlternateScreen(process.stdin, 10); setTimeout(() => { throw new Error('boom') }, 500)"`);
    await tmux.waitFor(pane, 'gantry: internal error in the console: boom');
    expect(await tmux.alternateOn(pane)).toBe(false);
    await tmux.waitForPrompt(pane);
    expect(await tmux.lastExitCode(pane)).toBe(10);
  });

  it('gantry alone opens the runs screen; Enter opens a run in the cockpit, Esc goes back', async () => {
    const p = await tempProject();
    writeVisualEssayOutputs(p.dir, 'essay');
    const done = await gantry(['run', 'visual-essay', '--slug', 'essay', '--artifact-path', 'essay', '--yes'], { cwd: p.dir });
    expect(done.code, done.stderr).toBe(0);
    tmux = new Tmux();
    await tmux.start(p.dir);
    const pane = 't:0.0';
    await tmux.run(pane, GANTRY);
    const s = await tmux.waitFor(pane, 'gantry · runs · 1');
    expect(s).toMatch(/›run_\S+_essay_\S+\s+visual-essay\s+PASSED/);
    await tmux.keys(pane, 'Enter');
    await tmux.waitFor(pane, /visual-essay · PASSED · .* · watching/);
    await tmux.keys(pane, 'Escape');
    await tmux.waitFor(pane, 'gantry · runs · 1');
    await tmux.keys(pane, 'q');
    await tmux.waitForPrompt(pane);
    expect(await tmux.alternateOn(pane)).toBe(false);
    expect(await tmux.lastExitCode(pane)).toBe(0);
  });
});
