import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/records/event-log.js';
import { gantry, gantryBackground, tempProject, waitFor, writeVisualEssayOutputs } from '../support/gantry.js';

const PIPE = ['run', 'visual-essay', '--slug', 'robot', '--artifact-path', 'essays/robot'];
const onlyRun = (runs: string) => readdirSync(runs)[0]!;
const events = (runs: string, id: string) => readEvents(join(runs, id, 'record', 'events.jsonl'));

/** Every JSON file under record/ parses and events.jsonl has no torn line. */
function assertRecordIntact(runs: string, id: string): void {
  const record = join(runs, id, 'record');
  const text = readFileSync(join(record, 'events.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  for (const f of readdirSync(record, { recursive: true, encoding: 'utf8' }))
    if (f.endsWith('.json')) expect(() => JSON.parse(readFileSync(join(record, f), 'utf8')), f).not.toThrow();
}

describe('run visual-essay: the whole pipeline on the engine', () => {
  it('passes every gate with --yes when the outputs are there', async () => {
    const { dir, runs } = await tempProject();
    writeVisualEssayOutputs(dir, 'essays/robot');
    const r = await gantry([...PIPE, '--yes'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\[G1\] PASS[\s\S]*\[G2\] PASS[\s\S]*\[G3\] PASS[\s\S]*PASSED/);
    const id = onlyRun(runs);
    const run = JSON.parse(readFileSync(join(runs, id, 'record/RUN.json'), 'utf8'));
    expect(run.status).toBe('PASSED');
    expect(run.gates.map((g: { status: string }) => g.status)).toEqual(['PASS', 'PASS', 'PASS']);
    const packet = readFileSync(join(runs, id, 'logs/gates/G2/prompt.txt'), 'utf8');
    expect(packet).toContain('essays/robot/research/CITATIONS.md');
    expect(packet).toContain(`gantry gate finish --run ${id} --gate G2`);
  });

  it('stops at the first FAIL and does not start later gates', async () => {
    const { dir, runs } = await tempProject();
    writeVisualEssayOutputs(dir, 'essays/robot', ['G1']);
    const r = await gantry([...PIPE, '--yes', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'run.finished', status: 'FAILED' });
    const run = JSON.parse(readFileSync(join(runs, onlyRun(runs), 'record/RUN.json'), 'utf8'));
    expect(run.gates.map((g: { status: string }) => g.status)).toEqual(['PASS', 'FAIL', 'PENDING']);
  });

  it('includes the prompt file in the packet', async () => {
    const { dir, runs } = await tempProject();
    writeVisualEssayOutputs(dir, 'essays/robot');
    const prompt = join(dir, 'topic.txt');
    writeFileSync(prompt, 'Write about where the word robot comes from.\n');
    expect((await gantry([...PIPE, '--yes', '--prompt-file', prompt], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(runs, onlyRun(runs), 'logs/gates/G1/prompt.txt'), 'utf8')).toContain('where the word robot comes from');
  });

  it('fails fast in non-TTY mode without consent, naming --yes and --approvals external', async () => {
    const { dir, runs } = await tempProject();
    const started = Date.now();
    const r = await gantry([...PIPE], { cwd: dir, input: '' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('--yes');
    expect(r.stderr).toContain('--approvals external');
    const run = JSON.parse(readFileSync(join(runs, onlyRun(runs), 'record/RUN.json'), 'utf8'));
    expect(run.status).toBe('FAILED');
    expect(run.errors.policy).toBe(1);
  });

  it('waits for an external answer given from a second process', async () => {
    const { dir, runs } = await tempProject();
    const bg = gantryBackground([...PIPE, '--approvals', 'external'], { cwd: dir });
    await waitFor(() => existsSync(runs) && readdirSync(runs).length === 1, 20_000, 'run folder');
    const id = onlyRun(runs);
    for (const g of ['G1', 'G2', 'G3']) {
      await waitFor(() => events(runs, id).some((e) => e.type === 'gate.waiting' && e.gate === g), 20_000, `${g} waiting`);
      writeVisualEssayOutputs(dir, 'essays/robot', [g]);
      const ans = await gantry(['gate', 'finish', '--run', id, '--gate', g], { cwd: dir });
      expect(ans.code, ans.stderr).toBe(0);
      expect(ans.stdout).toContain(`[${g}] PASS`);
    }
    const done = await bg;
    expect(done.exitCode).toBe(0);
    expect(done.stdout).toContain(`gantry gate finish --run ${id} --gate G1`);
    const answered = events(runs, id).filter((e) => e.type === 'gate.answer_requested');
    expect(answered).toHaveLength(3);
  });

  it('fails a gate from a second process and bounds the wait with --approval-timeout', async () => {
    const { dir, runs } = await tempProject();
    const bg = gantryBackground([...PIPE, '--approvals=external'], { cwd: dir });
    await waitFor(() => existsSync(runs) && readdirSync(runs).length === 1);
    const id = onlyRun(runs);
    await waitFor(() => events(runs, id).some((e) => e.type === 'gate.waiting'));
    const ans = await gantry(['gate', 'fail', '--run', id, '--gate', 'G1', '--reason', 'brief is off-topic'], { cwd: dir });
    expect(ans.code).toBe(1);
    expect((await bg).exitCode).toBe(1);
    expect(JSON.parse(readFileSync(join(runs, id, 'record/gates/G1/attempt-1.json'), 'utf8')).failure_reason).toBe('brief is off-topic');

    const p2 = await tempProject();
    const r = await gantry([...PIPE, '--approvals', 'external', '--approval-timeout', '1'], { cwd: p2.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('approval timed out after 1s');
  });

  it('refuses a second writer while the pipeline holds the run, naming the holder', async () => {
    const { dir, runs } = await tempProject();
    const bg = gantryBackground([...PIPE, '--approvals', 'external'], { cwd: dir });
    await waitFor(() => existsSync(runs) && readdirSync(runs).length === 1);
    const id = onlyRun(runs);
    await waitFor(() => events(runs, id).some((e) => e.type === 'gate.waiting'));
    const r = await gantry(['gate', 'start', '--run', id, '--gate', 'G2', '--agent', 'x'], { cwd: dir });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(new RegExp(`held by pid ${bg.pid} on `));
    bg.kill('SIGTERM');
    await bg;
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    it(`ends the run CANCELED on ${sig}, records intact`, async () => {
      const { dir, runs } = await tempProject();
      const bg = gantryBackground([...PIPE, '--approvals', 'external'], { cwd: dir });
      await waitFor(() => existsSync(runs) && readdirSync(runs).length === 1);
      const id = onlyRun(runs);
      await waitFor(() => events(runs, id).some((e) => e.type === 'gate.waiting'));
      bg.kill(sig);
      const done = await bg;
      expect(done.exitCode).toBe(130);
      expect(events(runs, id).at(-1)).toMatchObject({ type: 'run.finished', status: 'CANCELED' });
      expect(existsSync(join(runs, id, '.lock'))).toBe(false);
      assertRecordIntact(runs, id);
    });

  it('kill -9 of a running pipeline leaves every record parseable, and the stale lock is recovered', async () => {
    const { dir, runs } = await tempProject();
    const bg = gantryBackground([...PIPE, '--approvals', 'external'], { cwd: dir });
    await waitFor(() => existsSync(runs) && readdirSync(runs).length === 1);
    const id = onlyRun(runs);
    await waitFor(() => events(runs, id).some((e) => e.type === 'gate.waiting'));
    bg.kill('SIGKILL');
    await bg;
    assertRecordIntact(runs, id);
    writeVisualEssayOutputs(dir, 'essays/robot', ['G1']);
    const fin = await gantry(['gate', 'finish', '--run', id, '--gate', 'G1'], { cwd: dir });
    expect(fin.code, fin.stderr).toBe(0);
    expect(events(runs, id).some((e) => e.type === 'lock.recovered' && e.holder_pid === bg.pid)).toBe(true);
  });
});
