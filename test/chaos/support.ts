import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { RunRecord } from '../../contracts/run.js';
import { tmp } from '../support/gantry.js';

/**
 * The seed of a chaos test file: CHAOS_SEED, or drawn now. It is printed, so a failing run is reproduced
 * with `CHAOS_SEED=<seed> npx vitest run --config test/vitest.config.ts <file>`.
 */
export function chaosSeed(file: string): number {
  const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[chaos] ${file}: seed ${seed} (reproduce with CHAOS_SEED=${seed})`);
  return seed;
}

/** A seeded random source (mulberry32) per test, so one test's draws do not depend on which others ran. */
export interface Rng {
  next(): number;
  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number;
}

export function rngFor(seed: number, test: string): Rng {
  let a = seed >>> 0;
  for (const ch of test) a = (Math.imul(a ^ ch.charCodeAt(0), 0x01000193) + 1) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** A count from the environment (larger chaos runs), else the CI default. */
export const envCount = (name: string, ci: number) => (process.env[name] ? Number(process.env[name]) : ci);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function jsonFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsonFilesUnder(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : [],
  );
}

export const runDirs = (runsDir: string) =>
  existsSync(runsDir)
    ? readdirSync(runsDir)
        .filter((d) => d.startsWith('run_'))
        .sort()
        .map((d) => join(runsDir, d))
    : [];

/**
 * What a reader finds in every run of a workspace, as a crash left it: each JSON file under record/
 * parses (RUN.json against its schema), events.jsonl ends with a newline and every line is an event
 * whose seq is one more than the one before. Throws naming the file otherwise.
 */
export function checkRecords(runsDir: string): { runs: number; files: number; events: number } {
  let files = 0;
  let events = 0;
  const dirs = runDirs(runsDir);
  for (const dir of dirs) {
    for (const f of jsonFilesUnder(join(dir, 'record'))) {
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(f, 'utf8'));
      } catch (e) {
        throw new Error(`${f} does not parse: ${(e as Error).message}`);
      }
      if (f.endsWith('RUN.json')) {
        const r = RunRecord.safeParse(value);
        if (!r.success) throw new Error(`${f} is not a RunRecord: ${r.error.message}`);
      }
      files++;
    }
    const log = join(dir, 'record', 'events.jsonl');
    const text = readFileSync(log, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) throw new Error(`${log} ends with a torn line: ${JSON.stringify(text.slice(text.lastIndexOf('\n') + 1, 200))}`);
    let seq = 0;
    for (const [i, line] of text.split('\n').slice(0, -1).entries()) {
      let e: { seq: number; type: string };
      try {
        e = JSON.parse(line);
      } catch (err) {
        throw new Error(`${log}:${i + 1} does not parse: ${(err as Error).message}`);
      }
      if (e.seq !== seq + 1) throw new Error(`${log}:${i + 1}: seq ${e.seq} follows ${seq}`);
      seq = e.seq;
      events++;
    }
  }
  return { runs: dirs.length, files, events };
}

export type Event = { type: string; seq: number; [k: string]: unknown };

/** The complete events of a run (none while its folder is still being created). */
export function readEventsOf(runDir: string): Event[] {
  const log = join(runDir, 'record', 'events.jsonl');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** Lines of a counter/ledger file (missing file: none). */
export function ledger(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

/** Total lines of every events.jsonl under `runsDir` (how far the workspace's flows have got). */
export function eventLines(runsDir: string): number {
  let n = 0;
  for (const dir of runDirs(runsDir)) {
    try {
      const b = readFileSync(join(dir, 'record', 'events.jsonl'));
      for (const c of b) if (c === 0x0a) n++;
    } catch {
      /* a run folder being created */
    }
  }
  return n;
}

/**
 * A moment of a running process to act at: after `events` more lines in the workspace's event logs,
 * after `ms`, or `ms` after something observable happened (`when` holds).
 */
export type Moment = { events: number } | { ms: number } | { when: () => boolean; what: string; ms: number };

export function describeMoment(m: Moment): string {
  if ('events' in m) return `after ${m.events} more events`;
  return 'when' in m ? `${m.ms} ms after ${m.what}` : `after ${m.ms} ms`;
}

/**
 * Waits for `moment` while `child` runs. Resolves true at the moment, false when the child ended first.
 */
export async function reachMoment(child: ResultPromise, runsDir: string, moment: Moment): Promise<boolean> {
  let ended = false;
  void child.finally(() => (ended = true));
  const base = eventLines(runsDir);
  let deadline = 'when' in moment || 'events' in moment ? Infinity : Date.now() + moment.ms;
  for (;;) {
    if (ended) return false;
    if ('events' in moment && eventLines(runsDir) >= base + moment.events) return true;
    if ('when' in moment && deadline === Infinity && moment.when()) deadline = Date.now() + moment.ms;
    if (Date.now() >= deadline) return true;
    await sleep(5);
  }
}

/**
 * A folder with a `git` that notes every `git clone` in `<dir>/clones` before running the real git:
 * put it first on PATH of a local target to count clones.
 */
export function gitShim(): { bin: string; clones: string } {
  const dir = tmp();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const clones = join(dir, 'clones');
  writeFileSync(join(bin, 'git'), `#!/bin/sh\n[ "$1" = clone ] && echo "clone $*" >> '${clones}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  return { bin, clones };
}

/**
 * Rows whose local log copy (logs/sweep/<row>.log of the run) differs from the task's stdout.log on the
 * target; `outputs` is OPS_REMOTE_OUTPUTS_DIR, readable here because the target is this machine.
 */
export function rowLogMismatches(runDir: string, outputs: string): string[] {
  const plan = readJson(join(outputs, '_control', 'sweep.json')) as { rows: { run_id: string; task_id: string | null }[] };
  return plan.rows.flatMap(({ run_id, task_id }) => {
    if (!task_id) return [];
    const remote = readFileSync(join(outputs, '_tasks', task_id, 'stdout.log'));
    const localPath = join(runDir, 'logs', 'sweep', `${run_id}.log`);
    const local = existsSync(localPath) ? readFileSync(localPath) : Buffer.alloc(0);
    return local.equals(remote) ? [] : [`${run_id}: local ${local.length} bytes, remote ${remote.length} bytes`];
  });
}

/** True while `pid` runs (a zombie, ended but not yet reaped, does not count). Linux. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The runs folder's latest run (a flow resumes it; a new flow creates the next one). */
export function latestRun(runsDir: string): string {
  const dirs = runDirs(runsDir);
  if (!dirs.length) throw new Error(`no run in ${runsDir}`);
  return dirs.at(-1)!;
}
