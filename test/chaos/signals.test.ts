import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowProject, type FlowProject } from '../flow/harness.js';
import { gantryBackground } from '../support/gantry.js';
import { privateTmux } from '../support/private-tmux.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import {
  chaosSeed,
  checkRecords,
  describeMoment,
  envCount,
  eventLines,
  latestRun,
  ledger,
  reachMoment,
  readEventsOf,
  readJson,
  rngFor,
  rowLogMismatches,
  type Moment,
  type Rng,
} from './support.js';

/**
 * SIGINT (Ctrl-C) and SIGTERM at random moments of a headless `gantry flow`: gantry ends promptly with
 * exit code 130, the run is marked CANCELED (RUN.json, flow.summary.json), every record file parses, and
 * `gantry flow` again resumes the run and finishes it with every sweep row run once.
 */
const SEED = chaosSeed('signals');
const SIGNALS = envCount('CHAOS_SIGNALS', 8);
const ROWS = ['r1', 'r2', 'r3'];
const SWEEP = ['run_id,config,seed,overrides,notes', ...ROWS.map((r, i) => `${r},base.yaml,${i + 1},"steps=4,step_secs=0.2",`), ''].join('\n');
const ARGS = ['--wait', 'true', '--fetch', 'all'];

/**
 * Once this gantry has written its first event (before that, Node's default action could end it
 * without a word): K events on, or N ms later. Called just before gantry starts.
 */
function pick(rng: Rng, p: FlowProject): Moment {
  const base = eventLines(p.runs);
  return rng.next() < 0.5 ? { events: rng.int(1, 40) } : { when: () => eventLines(p.runs) > base, what: 'its first event', ms: rng.int(0, 2500) };
}

async function signalRun(label: string, budget: number, make: () => Promise<{ p: FlowProject; env: Record<string, string> }>): Promise<void> {
  const rng = rngFor(SEED, label);
  let sent = 0;
  while (sent < budget) {
    const { p, env } = await make();
    writeFileSync(join(p.dir, 'sweep.csv'), SWEEP);
    let passed = false;
    while (!passed) {
      const signal = sent % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const moment = sent < budget ? pick(rng, p) : null;
      const child = gantryBackground(['flow', '--no-tty', ...ARGS], { cwd: p.dir, env });
      const hit = moment !== null && (await reachMoment(child, p.runs, moment));
      const t0 = Date.now();
      if (hit) child.kill(signal);
      const r = await child;
      checkRecords(p.runs);
      const run = latestRun(p.runs);
      const rec = readJson(join(run, 'record', 'RUN.json'));
      if (r.exitCode === 0) {
        // The flow was done before the signal landed (or no signal was left to send).
        expect(rec.status).toBe('PASSED');
        passed = true;
        continue;
      }
      sent++;
      expect(r.exitCode, String(r.all)).toBe(130);
      expect(rec).toMatchObject({ status: 'CANCELED', finish_reason: `canceled by ${signal}` });
      expect(readJson(join(run, 'record', 'flow.summary.json'))).toMatchObject({ status: 'canceled', first_failing_code: 108 });
      const where = readEventsOf(run).filter((e) => e.type === 'step.started').at(-1)?.step ?? 'before P00';
      console.log(`[chaos] ${label}: ${signal} ${describeMoment(moment!)}, in ${where}: CANCELED, exit 130 after ${Date.now() - t0} ms`);
    }
    // Nothing lost: the run (resumed as often as it was interrupted) passed, every row ran once, the
    // row logs equal the remote ones and the fetched outputs are there.
    const run = latestRun(p.runs);
    const events = readEventsOf(run);
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    expect(readJson(join(run, 'record', 'flow.summary.json'))).toMatchObject({ status: 'passed', sweep: { rows: 3, done: 3, failed: [] } });
    expect(ledger(p.counter).sort()).toEqual(ROWS);
    expect(rowLogMismatches(run, p.outputs)).toEqual([]);
    for (const r of ROWS) expect(readFileSync(join(p.dir, 'artifacts', r, 'summary.json')).equals(readFileSync(join(p.outputs, r, 'summary.json')))).toBe(true);
  }
}

describe('chaos: SIGINT and SIGTERM at random moments of a headless flow', () => {
  let sshd: Sshd;
  const tmux = privateTmux();
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    tmux.stop();
    await sshd?.stop();
  });
  const half = Math.ceil(SIGNALS / 2);

  it(`on the local target (${half} signals)`, { timeout: 150_000 }, async () => {
    await signalRun('local', half, async () => ({ p: await flowProject({ LIUM_TARGET: 'local' }), env: tmux.env }));
  });

  it(`over SSH (${SIGNALS - half} signals)`, { timeout: 150_000 }, async () => {
    await signalRun('ssh', SIGNALS - half, async () => ({ p: await flowProject({ LIUM_TARGET: sshd.alias }, sshd.env), env: sshd.env }));
  });
});
