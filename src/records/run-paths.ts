import { join } from 'node:path';

export interface RunPaths {
  dir: string;
  record: string;
  events: string;
  runJson: string;
  gates: string;
  phases: string;
  logs: string;
  lock: string;
  inbox: string;
}

export function runPaths(runsDir: string, runId: string): RunPaths {
  const dir = join(runsDir, runId);
  const record = join(dir, 'record');
  const logs = join(dir, 'logs');
  return {
    dir,
    record,
    events: join(record, 'events.jsonl'),
    runJson: join(record, 'RUN.json'),
    gates: join(record, 'gates'),
    phases: join(record, 'phases'),
    logs,
    lock: join(dir, '.lock'),
    inbox: join(dir, 'inbox'),
  };
}

export function attemptPath(p: RunPaths, gate: string, attempt: number): string {
  return join(p.gates, gate, `attempt-${attempt}.json`);
}

/**
 * `run_<UTC yyyymmddTHHMMSSZ>_<slug>_<6 hex>`. The first 3 hex are the milliseconds of the second and the
 * last 3 are random, so run ids sort in the order the runs were created (every "newest run" relies on it).
 */
export function newRunId(slug: string, now = new Date(), random = Math.floor(Math.random() * 0x1000)): string {
  const ts = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const safe = slug.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'run';
  const hex = now.getUTCMilliseconds().toString(16).padStart(3, '0') + random.toString(16).padStart(3, '0');
  return `run_${ts}_${safe}_${hex}`;
}

export const RUN_ID_PATTERN = /^run_\d{8}T\d{6}Z_[a-z0-9-]+_[0-9a-f]{6}$/;
