import type { z } from 'zod';
import type { MetricValue } from '../../contracts/workstation.js';

/**
 * The value at a dotted path such as `summary.sharpe` or `folds[0].cost.total` in parsed JSON;
 * undefined when any part is missing.
 */
export function valueAt(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    v = Array.isArray(v) && typeof key === 'number' ? v[key] : Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key as string] : undefined;
  }
  return v;
}

/** A metric is a scalar; anything else (missing, an object, a list) is recorded as null. */
export function metricAt(doc: unknown, path: string): z.infer<typeof MetricValue> {
  const v = valueAt(doc, path);
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
}
