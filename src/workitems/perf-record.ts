import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Attempt } from '../../contracts/attempt.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { completeAttempt, startGate } from '../engine/gate-ops.js';
import { sha256File } from '../records/hash.js';
import { runPaths } from '../records/run-paths.js';
import type { RunWriter } from '../records/run-writer.js';
import type { PerfDelta } from './perf.js';

/** The perf verdict beside the attempt file: record/gates/<gate>/perf-<n>.json. */
const perfFile = (gate: string, attempt: number) => join('gates', gate, `perf-${attempt}.json`);

/** Records a perf delta as an attempt of the contract's perf gate; the inputs are hashed into it. */
export async function recordPerf(w: RunWriter, delta: PerfDelta, inputs: { baseline: string; result: string }, repo: string): Promise<Attempt> {
  const attempt = startGate(w, delta.gate, 'gantry perf delta');
  w.writeRecordJson(perfFile(delta.gate, attempt), delta);
  const artifacts = await Promise.all(
    [inputs.baseline, inputs.result].map(async (p) => ({
      path: p,
      resolved: relative(repo, resolve(p)),
      sha256: await sha256File(p),
      bytes: statSync(p).size,
      exists: true,
    })),
  );
  const detail = `${delta.metric}: baseline ${delta.baseline} → result ${delta.result}, delta ${delta.delta_pct}% (budget ${delta.budget_pct}%, ${delta.better} is better)`;
  return completeAttempt(w, delta.gate, {
    status: delta.status === 'pass' ? 'PASS' : 'FAIL',
    artifacts,
    validations: [{ type: 'perf_budget', path: delta.metric, pass: delta.status === 'pass', severity: 'fail', detail }],
    failure_reason: delta.status === 'pass' ? null : `${detail}: over budget`,
    required_outputs: [],
  });
}

/** The recorded verdict of one perf attempt, as `recordPerf` wrote it. */
export function readRecordedPerf(runsDir: string, runId: string, gate: string, attempt: number): PerfDelta {
  const file = join(runPaths(runsDir, runId).record, perfFile(gate, attempt));
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PerfDelta;
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `the recorded perf verdict of ${gate} attempt ${attempt} is unreadable: ${(e as Error).message}`, {
      where: file,
      hint: 'record it again with `gantry perf delta --contract ...`',
    });
  }
}
