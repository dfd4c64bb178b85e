import { ExitCode, GantryError } from '../../contracts/errors.js';
import { readTextFile } from '../config/parse-file.js';

export interface PerfDelta {
  gate: string;
  metric: string;
  better: 'higher' | 'lower';
  baseline: number;
  result: number;
  /** (result - baseline) / baseline, in percent, rounded to 4 decimals: the metric's own change. */
  delta_pct: number;
  budget_pct: number;
  status: 'pass' | 'fail';
}

/** Float noise below this never decides a verdict: a delta exactly at the budget passes. */
const EPSILON = 1e-9;

/** A metric from a JSON file: a top-level key, or a dotted path into nested objects. */
export function readMetric(file: string, metric: string): number {
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(file, 'metrics file'));
  } catch (e) {
    if (e instanceof GantryError) throw e;
    throw new GantryError(ExitCode.INVALID_INPUT, `metrics file is not JSON: ${(e as Error).message}`, { where: file });
  }
  const direct = json && typeof json === 'object' ? (json as Record<string, unknown>)[metric] : undefined;
  const value =
    direct ??
    metric.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), json);
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new GantryError(ExitCode.INVALID_INPUT, `metric "${metric}" is not a number in ${file} (found ${JSON.stringify(value) ?? 'nothing'})`, {
      where: file,
      hint: 'the file needs {"<metric>": <number>} (or the dotted path to one)',
    });
  return value;
}

/**
 * Judges a result against a budget. The budget is the least acceptable change in the metric's good
 * direction: with `better = higher` (the default), budget -10 passes a result down to 10% below the
 * baseline; with `better = lower` (latencies), budget -10 passes a result up to 10% above it.
 */
export function perfDelta(opts: Omit<PerfDelta, 'delta_pct' | 'status'>): PerfDelta {
  const { baseline, result, better, budget_pct } = opts;
  if (baseline === 0)
    throw new GantryError(ExitCode.INVALID_INPUT, `baseline ${opts.metric} is 0; a relative delta needs a non-zero baseline`);
  const delta = ((result - baseline) * 100) / Math.abs(baseline);
  const gain = better === 'higher' ? delta : -delta;
  return { ...opts, delta_pct: Number(delta.toFixed(4)), status: gain >= budget_pct - EPSILON ? 'pass' : 'fail' };
}
