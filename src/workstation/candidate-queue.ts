import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CandidateQueue, type QueueFilter, type RegistryRow, type WorkstationConfig } from '../../contracts/workstation.js';
import { writeJsonAtomic } from '../records/atomic.js';
import { latestByTag, readRegistry } from './registry.js';

type Value = RegistryRow['metrics'][string] | undefined;

function passes(v: Value, f: QueueFilter): boolean {
  if (v === undefined || v === null) return false;
  switch (f.op) {
    case '==':
      return v === f.value;
    case '!=':
      return v !== f.value;
    default: {
      if (typeof v !== 'number' || typeof f.value !== 'number') return false;
      return f.op === '>' ? v > f.value : f.op === '>=' ? v >= f.value : f.op === '<' ? v < f.value : v <= f.value;
    }
  }
}

/**
 * Ranks the registry's latest row per tag: rows with an allowed status that pass every filter, by the
 * configured metric (rows without a numeric value for it are left out, with the reason), or newest first
 * when no metric is configured.
 */
export function buildQueue(rows: readonly RegistryRow[], config: WorkstationConfig['queue'], registry: string): CandidateQueue {
  const excluded: CandidateQueue['excluded'] = [];
  const kept = latestByTag(rows).filter((r) => {
    const why = !config.statuses.includes(r.status)
      ? `status ${r.status} is not one of ${config.statuses.join(', ')}`
      : config.metric !== undefined && typeof r.metrics[config.metric] !== 'number'
        ? `no numeric ${config.metric}`
        : config.filters.filter((f) => !passes(r.metrics[f.metric], f)).map((f) => `${f.metric} ${String(r.metrics[f.metric] ?? 'missing')} fails ${f.op} ${f.value}`)[0];
    if (why) excluded.push({ tag: r.tag, reason: why });
    return !why;
  });
  const sign = config.order === 'desc' ? -1 : 1;
  const key = (r: RegistryRow) => (config.metric === undefined ? Date.parse(r.recorded_at) : (r.metrics[config.metric] as number));
  kept.sort((a, b) => (config.metric === undefined ? -1 : sign) * (key(a) - key(b)) || a.tag.localeCompare(b.tag));
  const ranked = config.limit === undefined ? kept : kept.slice(0, config.limit);
  return {
    generated_at: new Date().toISOString(),
    registry,
    metric: config.metric ?? null,
    order: config.order,
    filters: config.filters,
    candidates: ranked.map((r, i) => ({
      rank: i + 1,
      tag: r.tag,
      value: config.metric === undefined ? null : (r.metrics[config.metric] ?? null),
      status: r.status,
      run_dir: r.run_dir,
      report_json: r.report_json,
      metrics: r.metrics,
      recorded_at: r.recorded_at,
    })),
    excluded,
  };
}

/** The queue file as it is, or null when absent or unreadable (it is then written anew). */
function readQueue(path: string): CandidateQueue | null {
  if (!existsSync(path)) return null;
  try {
    return CandidateQueue.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

const sameQueue = (a: CandidateQueue, b: CandidateQueue) => JSON.stringify({ ...a, generated_at: '' }) === JSON.stringify({ ...b, generated_at: '' });

/** Writes candidate_queue.json from the registry; an unchanged queue is left as it is (same file, same time). */
export function refreshQueue(o: { registry: string; queue: string; config: WorkstationConfig }): { queue: CandidateQueue; changed: boolean } {
  const next = buildQueue(readRegistry(o.registry), o.config.queue, o.registry);
  const current = readQueue(o.queue);
  if (current && sameQueue(current, next)) return { queue: current, changed: false };
  mkdirSync(dirname(o.queue), { recursive: true });
  writeJsonAtomic(o.queue, next);
  return { queue: next, changed: true };
}
