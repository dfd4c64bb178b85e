import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { EventInput } from '../../contracts/events.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { RunRecord } from '../../contracts/run.js';
import { writeJsonAtomic } from './atomic.js';
import { EventLog, readEvents } from './event-log.js';
import { foldEvents } from './fold.js';
import { acquireLock } from './lock.js';
import { newRunId, runPaths, type RunPaths } from './run-paths.js';
import { RunWriter, type EventListener } from './run-writer.js';

type StartEvent = Extract<EventInput, { type: 'run.started' }>;

/** Creates a run folder, takes its lock and records `run.started`. */
export function createRun(runsDir: string, start: Omit<StartEvent, 'type' | 'pid' | 'host'>, listener?: EventListener): RunWriter {
  const runId = newRunId(start.workflow.slug);
  const paths = runPaths(runsDir, runId);
  mkdirSync(paths.record, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const lock = acquireLock(paths.lock, `run ${start.workflow.name}`, `run ${runId}`);
  const { log } = EventLog.open(paths.events, runId);
  const writer = new RunWriter(runId, paths, log, lock, []);
  if (listener) writer.subscribe(listener);
  writer.append({ type: 'run.started', pid: process.pid, host: hostname(), ...start });
  return writer;
}

/** Opens an existing run for writing: takes the lock, repairs a torn log tail, notes a recovered lock. */
export function openRun(runsDir: string, runId: string, purpose: string): RunWriter {
  const paths = existingRun(runsDir, runId);
  const lock = acquireLock(paths.lock, purpose, `run ${runId}`);
  try {
    const { log, events, repairedBytes } = EventLog.open(paths.events, runId);
    const writer = new RunWriter(runId, paths, log, lock, events);
    if (!writer.record) throw new GantryError(ExitCode.INVALID_INPUT, `run ${runId} has no run.started event`, { where: paths.events });
    if (lock.recovered)
      writer.append({ type: 'lock.recovered', holder_pid: lock.recovered.pid, holder_host: lock.recovered.host });
    if (repairedBytes > 0)
      writer.append({ type: 'note', step: null, message: `cut a torn last line (${repairedBytes} bytes) from events.jsonl` });
    return writer;
  } catch (e) {
    lock.release();
    throw e;
  }
}

export function existingRun(runsDir: string, runId: string): RunPaths {
  if (!/^[A-Za-z0-9._-]+$/.test(runId))
    throw new GantryError(ExitCode.USAGE, `"${runId}" is not a run id`, { hint: 'list runs with `gantry run list`' });
  const paths = runPaths(runsDir, runId);
  if (!existsSync(paths.events))
    throw new GantryError(ExitCode.NOT_FOUND, `no run ${runId}`, { where: runsDir, hint: 'list runs with `gantry run list`' });
  return paths;
}

/**
 * RUN.json for reading. It is a view: when missing, unparsable or stale against events.jsonl, it is
 * rebuilt from the events (and rewritten unless a live writer holds the run).
 */
export function readRun(runsDir: string, runId: string): RunRecord {
  const paths = existingRun(runsDir, runId);
  const size = statSync(paths.events).size;
  const cached = tryParseView(paths.runJson);
  if (cached && cached.events_bytes === size) return cached;
  const rec = foldEvents(readEvents(paths.events));
  if (!rec) throw new GantryError(ExitCode.INVALID_INPUT, `run ${runId} has no events`, { where: paths.events });
  rec.events_bytes = size;
  if (!existsSync(paths.lock) && readFileSync(paths.events).at(-1) === 0x0a) writeJsonAtomic(paths.runJson, rec);
  return rec;
}

/**
 * RUN.json is only ever written whole (atomically) by gantry, so a cached view that parses and carries
 * its fold markers is trusted without a full schema pass: `run list` reads thousands of them.
 */
function tryParseView(path: string): RunRecord | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunRecord> | null;
    return v && typeof v.run_id === 'string' && typeof v.events_bytes === 'number' && Array.isArray(v.gates) ? (v as RunRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function listRunIds(runsDir: string): string[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(runPaths(runsDir, d.name).events))
    .map((d) => d.name)
    .sort();
}

/** Ensures logs/ is ignored by git (the record is meant to be committed). */
export function ensureRunsGitignore(workspaceRoot: string): void {
  const path = `${workspaceRoot}/.gitignore`;
  if (!existsSync(path)) writeFileSync(path, 'runs/*/logs/\nruns/*/.lock\nruns/*/inbox/\n');
}
