import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowProject } from '../flow/harness.js';
import { gantry, gantryBackground, tmp, waitFor } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import { chaosSeed, checkRecords, envCount, latestRun, readEventsOf, readJson, rngFor, rowLogMismatches, runDirs, sleep } from './support.js';

/**
 * The SSH connection cut under gantry (the sshd processes serving it killed, as a network drop would)
 * at random moments of a sweep (launch and monitoring, which follows every row's log) and of
 * `gantry task logs --follow`. Nothing is lost and nothing is doubled; every cut is a correctable error.
 */
const SEED = chaosSeed('ssh-cut');
const SWEEP_CUTS = envCount('CHAOS_SSH_CUTS', 7);
const FOLLOW_CUTS = envCount('CHAOS_FOLLOW_CUTS', 4);

/** Cuts the connection, unless there is none at the moment; returns whether one was cut. */
const cut = (sshd: Sshd) => sshd.killSessionChildren() > 0;

describe('chaos: the SSH connection cut at random moments', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it(`a sweep and its log follow (${SWEEP_CUTS} cuts): it completes, the row logs equal the remote ones, each cut is a correctable error`, { timeout: 150_000 }, async () => {
    const rng = rngFor(SEED, 'sweep');
    const p = await flowProject({ LIUM_TARGET: sshd.alias, SWEEP_PARALLEL: '3', MONITOR_POLL_SECS: '0.2' }, sshd.env);
    // Rows long enough for every cut to land while they run, printing a line every 0.2 s.
    const steps = Math.max(25, SWEEP_CUTS * 6);
    const rows = ['a', 'b', 'c'];
    writeFileSync(join(p.dir, 'sweep.csv'), ['run_id,config,seed,overrides,notes', ...rows.map((r, i) => `${r},base.yaml,${i},"steps=${steps},step_secs=0.2",`), ''].join('\n'));
    const child = gantryBackground(['flow', '--no-tty', '--wait', 'true', '--fetch', 'all'], { cwd: p.dir, env: sshd.env });
    const events = () => (runDirs(p.runs).length ? readEventsOf(latestRun(p.runs)) : []);
    const started = (step: string) => events().some((e) => e.type === 'step.started' && e.step === step);
    const lastEvents = () => events().slice(-12).map((e) => JSON.stringify(e)).join('\n');
    const correctable = () => events().filter((e) => e.type === 'error.recorded' && e.tier === 'correctable').length;
    // The cuts start at the first row launch (the plan is on the target, the rows are being started):
    // they aim at the sweep and its monitoring, not at the plan upload.
    await waitFor(() => events().some((e) => e.type === 'sweep.row' && e.step === 'P60'), 30_000, 'the sweep to start');

    // Cut at random moments of the sweep's launch and monitoring; after each cut, wait until gantry has
    // noticed it (a correctable error recorded) before the next one.
    let running = true;
    void child.finally(() => (running = false));
    let cuts = 0;
    while (cuts < SWEEP_CUTS && running && !started('P80')) {
      // The first cut lands while the rows are being launched, the others while they run.
      await sleep(cuts === 0 ? rng.int(0, 100) : rng.int(50, 800));
      const before = correctable();
      if (!cut(sshd)) continue;
      cuts++;
      await waitFor(() => correctable() > before, 30_000, `cut ${cuts} to be recorded`).catch((e: Error) => {
        throw new Error(`${e.message}; the run's last events:\n${lastEvents()}`);
      });
    }
    const r = await child;
    expect(r.exitCode, String(r.all)).toBe(0);
    expect(cuts).toBe(SWEEP_CUTS);

    checkRecords(p.runs);
    const run = latestRun(p.runs);
    const rec = readJson(join(run, 'record', 'RUN.json'));
    expect(rec.status).toBe('PASSED');
    expect(rec.errors.correctable).toBeGreaterThanOrEqual(cuts);
    const drops = readEventsOf(run).filter((e) => e.type === 'error.recorded' && /connection lost/.test(String(e.message)));
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(readJson(join(run, 'record', 'flow.summary.json'))).toMatchObject({ status: 'passed', sweep: { rows: 3, done: 3, failed: [] } });
    // Every row ran once; its log as copied while following equals the remote one byte for byte, and
    // the fetched outputs equal the remote ones.
    expect(readFileSync(p.counter, 'utf8').split('\n').filter(Boolean).sort()).toEqual(rows);
    expect(rowLogMismatches(run, p.outputs)).toEqual([]);
    for (const row of rows) expect(readFileSync(join(p.dir, 'artifacts', row, 'summary.json')).equals(readFileSync(join(p.outputs, row, 'summary.json')))).toBe(true);
    console.log(`[chaos] sweep: ${cuts} cuts, ${rec.errors.correctable} correctable errors recorded (${drops.length} dropped connections)`);
  });

  it(`\`gantry task logs --follow\` (${FOLLOW_CUTS} cuts): the followed log equals the remote one byte for byte, each reconnect reported`, { timeout: 90_000 }, async () => {
    const rng = rngFor(SEED, 'follow');
    const outputs = join(tmp(), 'outputs');
    const task = ['--target', sshd.alias, '--outputs-dir', outputs, '--id', 'follow-me'];
    // Long enough for every cut to land while the task still prints (a line every 50 ms).
    const lines = FOLLOW_CUTS * 40;
    const started = await gantry(['task', 'run', ...task, '--runner', 'setsid', '--cmd', `i=0; while [ $i -lt ${lines} ]; do i=$((i+1)); echo "line $i of ${lines}: $(date +%s%N)"; sleep 0.05; done`], { cwd: tmp(), env: sshd.env });
    expect(started.code, started.stderr).toBe(0);
    const follow = gantryBackground(['task', 'logs', ...task, '--follow', '--json'], { cwd: tmp(), env: sshd.env });
    let err = '';
    follow.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const retries = () => err.split('\n').filter((l) => /^gantry: .*; retry \d+ in \d+ ms$/.test(l)).length;
    let running = true;
    void follow.finally(() => (running = false));
    let cuts = 0;
    while (cuts < FOLLOW_CUTS && running) {
      await sleep(rng.int(100, 600));
      const before = retries();
      if (!cut(sshd)) continue;
      cuts++;
      await waitFor(() => retries() > before, 20_000, `the follow to reconnect after cut ${cuts}:\n${err}`);
    }
    const hung = setTimeout(() => follow.kill('SIGKILL'), 30_000);
    const r = await follow;
    clearTimeout(hung);
    expect(r.signal, `the follow did not end after the task did:\n${err}`).toBeUndefined();
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(cuts).toBe(FOLLOW_CUTS);
    const chunks = String(r.stdout).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { offset: number; next_offset: number; text: string });
    // Contiguous offsets: each chunk starts where the one before ended.
    chunks.forEach((c, i) => expect(c.offset).toBe(i === 0 ? 0 : chunks[i - 1]!.next_offset));
    const followed = chunks.map((c) => c.text).join('');
    expect(Buffer.from(followed).equals(readFileSync(join(outputs, '_tasks', 'follow-me', 'stdout.log')))).toBe(true);
    expect(followed.split('\n').filter(Boolean)).toHaveLength(lines);
    console.log(`[chaos] follow: ${cuts} cuts, ${retries()} reconnects reported, ${chunks.length} chunks, ${followed.length} bytes`);
  });
});
