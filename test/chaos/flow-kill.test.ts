import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowProject, pods, providerClient, stopPods, type FlowProject } from '../flow/harness.js';
import { gantryBackground } from '../support/gantry.js';
import { privateTmux } from '../support/private-tmux.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import {
  checkRecords,
  describeMoment,
  envCount,
  gitShim,
  latestRun,
  ledger,
  reachMoment,
  readEventsOf,
  readJson,
  rowLogMismatches,
  runDirs,
  chaosSeed,
  rngFor,
  type Rng,
  type Moment,
} from './support.js';

/**
 * kill -9 of `gantry flow` at random moments (after the K-th new event, or after N ms), then `gantry flow`
 * again, which resumes the run — over and over until the flow has passed. After every kill each record
 * file parses and events.jsonl has no torn line; at the end no sweep row ran twice, one pod was rented,
 * the repository was cloned once, and the fetched outputs equal the remote ones.
 */
const KILLS = envCount('CHAOS_KILL_POINTS', 30);
const SEED = chaosSeed('flow-kill');
const KEYED_PROVIDER = join(import.meta.dirname, 'keyed-provider.mjs');
const ROWS = ['r1', 'r2', 'r3'];
const SWEEP = ['run_id,config,seed,overrides,notes', ...ROWS.map((r, i) => `${r},base.yaml,${i + 1},"steps=3,step_secs=0.2",row ${r}`), ''].join('\n');

interface Chaos {
  p: FlowProject;
  args: string[];
  env: Record<string, string>;
  /** A moment this flow must be killed at first (besides the random ones). */
  first?: Moment;
  /** Checks of what this kind of flow must have done exactly once. */
  verify?(): void;
}

const pick = (rng: Rng): Moment => (rng.next() < 0.5 ? { events: rng.int(1, 40) } : { ms: rng.int(100, 3000) });

/** Where the workspace's latest flow stands: still to be resumed, or finished (it must have passed). */
function finished(p: FlowProject): boolean {
  const dirs = runDirs(p.runs);
  if (!dirs.length) return false;
  const end = readEventsOf(dirs.at(-1)!).find((e) => e.type === 'run.finished');
  if (end && end.status !== 'PASSED') throw new Error(`the flow ended ${String(end.status)}: ${String(end.reason)}`);
  return end !== undefined;
}

/** The phase a kill interrupted (the last one started in the latest run), for the log. */
function whereNow(p: FlowProject): string {
  const dirs = runDirs(p.runs);
  const started = dirs.length ? readEventsOf(dirs.at(-1)!).filter((e) => e.type === 'step.started') : [];
  return started.length ? `in ${String(started.at(-1)!.step)}` : 'before P00';
}

/** Starts `gantry flow`, kills it at random moments and starts it again, until it passes or the budget is spent. */
async function killUntilDone(c: Chaos, budget: number, label: string, rng: Rng): Promise<number> {
  let kills = 0;
  while (kills < budget && !finished(c.p)) {
    const moment = kills === 0 && c.first ? c.first : pick(rng);
    const child = gantryBackground(['flow', '--no-tty', ...c.args], { cwd: c.p.dir, env: c.env });
    if (await reachMoment(child, c.p.runs, moment)) child.kill('SIGKILL');
    const r = await child;
    if (r.signal === 'SIGKILL') {
      kills++;
      const seen = checkRecords(c.p.runs);
      console.log(`[chaos] ${label}: kill ${kills} ${describeMoment(moment)}, ${whereNow(c.p)}: ${seen.files} record files and ${seen.events} events parse`);
    } else if (r.exitCode !== 0) throw new Error(`gantry flow exited ${r.exitCode}:\n${r.all}`);
  }
  return kills;
}

/** What every flow must show once it has passed, however often it was killed. */
function verifyFlow(c: Chaos): void {
  const { p } = c;
  checkRecords(p.runs);
  const run = latestRun(p.runs);
  const events = readEventsOf(run);
  const summary = readJson(join(run, 'record', 'flow.summary.json'));
  expect(summary).toMatchObject({ status: 'passed', sweep: { rows: 3, done: 3, failed: [] } });
  expect(summary.attempts).toBe(events.filter((e) => e.type === 'run.resumed').length + 1);
  expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
  // A kill between creating the run and writing flow.start.json leaves a run no one can resume; any such
  // run must be an empty shell, never a second flow that did work.
  for (const other of runDirs(p.runs).slice(0, -1))
    expect(readEventsOf(other).filter((e) => e.type === 'step.started').map((e) => e.step)).toEqual([]);
  // Every row ran exactly once on the target, and finished.
  expect(ledger(p.counter).sort()).toEqual(ROWS);
  for (const r of ROWS) {
    const remote = readFileSync(join(p.outputs, r, 'summary.json'));
    expect(JSON.parse(remote.toString()).ok).toBe(true);
    expect(readFileSync(join(p.dir, 'artifacts', r, 'summary.json')).equals(remote)).toBe(true);
  }
  expect(readJson(join(p.outputs, '_control', 'workflow_state.json')).state).toBe('SWEEP_COMPLETED');
  // The row logs copied while monitoring (across every attempt) equal the remote ones byte for byte.
  expect(rowLogMismatches(run, p.outputs)).toEqual([]);
  c.verify?.();
}

async function chaosRun(label: string, budget: number, make: () => Promise<Chaos>): Promise<void> {
  const rng = rngFor(SEED, label);
  let kills = 0;
  let flows = 0;
  while (kills < budget) {
    const c = await make();
    writeFileSync(join(c.p.dir, 'sweep.csv'), SWEEP);
    kills += await killUntilDone(c, budget - kills, label, rng);
    if (!finished(c.p)) {
      const last = await c.p.flow(c.args, c.env);
      expect(last.code, last.stdout + last.stderr).toBe(0);
    }
    verifyFlow(c);
    flows++;
  }
  console.log(`[chaos] ${label}: ${kills} kills over ${flows} flow(s), each passed with every row run once`);
}

describe('chaos: kill -9 of gantry flow at random moments', () => {
  let sshd: Sshd;
  const podDirs: string[] = [];
  const tmux = privateTmux();
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    podDirs.forEach(stopPods);
    tmux.stop();
    await sshd?.stop();
  });

  const third = Math.floor(KILLS / 3);

  it(`a provisioned pod over SSH (${third} kills): one pod rented, deleted at the end`, { timeout: 240_000 }, async () => {
    const rng = rngFor(SEED, 'provisioned ssh: first kill');
    await chaosRun('provisioned ssh', third, async () => {
      const client = providerClient();
      podDirs.push(client.stateDir);
      const book = join(client.stateDir, '..', 'provider.ledger');
      const cmd = (verb: string) => `node ${KEYED_PROVIDER} ${verb}`;
      const p = await flowProject(
        { PROVISION_CMD: cmd('provision'), STATUS_CMD: cmd('status {pod_id}'), TEARDOWN_CMD: cmd('teardown {pod_id}'), SSH_ACCEPT_NEW_HOST_KEY: '1' },
        { ...client.env, CHAOS_LEDGER: book },
      );
      return {
        p,
        args: ['--yes', '--wait', 'true', '--fetch', 'all', '--teardown', 'delete'],
        env: p.env,
        // While the provider rents the pod: the resumed flow must get that pod, not rent a second one.
        first: { when: () => ledger(book).some((l) => l.startsWith('rent ')), what: 'the provider started renting', ms: rng.int(0, 300) },
        verify() {
          expect(ledger(book).filter((l) => l.startsWith('rent '))).toHaveLength(1);
          expect(pods(client.stateDir)).toEqual([expect.objectContaining({ deleted: true })]);
        },
      };
    });
  });

  it(`the local target (${third} kills): the repository is cloned once`, { timeout: 240_000 }, async () => {
    await chaosRun('local', third, async () => {
      const shim = gitShim();
      const p = await flowProject({ LIUM_TARGET: 'local', SWEEP_PARALLEL: '3' });
      return {
        p,
        args: ['--wait', 'true', '--fetch', 'all'],
        env: { ...tmux.env, PATH: `${shim.bin}:${process.env.PATH}` },
        verify: () => expect(ledger(shim.clones)).toHaveLength(1),
      };
    });
  });

  it(`an explicit SSH target (${KILLS - 2 * third} kills)`, { timeout: 240_000 }, async () => {
    await chaosRun('explicit ssh', KILLS - 2 * third, async () => {
      const p = await flowProject({ LIUM_TARGET: sshd.alias }, sshd.env);
      return { p, args: ['--wait', 'true', '--fetch', 'all'], env: sshd.env };
    });
  });
});
