import { stringify } from 'yaml';
import type { GateRegistry } from '../../contracts/gate-registry.js';
import type { WorkItem } from '../../contracts/work-item.js';
import type { PerfDelta } from './perf.js';
import { readRecordedPerf } from './perf-record.js';
import { latestAttempts, workItemRuns } from './work-item-run.js';

export interface Attestation {
  /** `<identity block>_pr`, e.g. `nmoe_pr`, as in the seed's PR template. */
  header: string;
  issue: string;
  baseline_sha: string;
  pr_sha: string;
  risk: string;
  tier_a: string[];
  tier_b: string[];
  perf: (Partial<PerfDelta> & { gate: string; metric: string; budget_pct: number; status: string }) | undefined;
  /** Required gates whose latest recorded attempt is not a PASS (not part of the printed block). */
  not_passed: string[];
  runs: string[];
}

/**
 * The PR attestation, from recorded attempts only: a gate is listed as passed when its latest attempt in
 * the work-item runs for this issue and commit is PASS; the perf block is the latest recorded perf verdict.
 */
export function buildAttestation(runsDir: string, item: WorkItem, registry: GateRegistry, shas: { baseline: string; pr: string }): Attestation {
  const runs = workItemRuns(runsDir, item.identity.issue, shas.pr);
  const latest = latestAttempts(runs);
  const passed = (tier: 'A' | 'B') =>
    Object.entries(registry.gates)
      .filter(([id, g]) => g.tier === tier && g.kind === 'command' && latest.get(id)?.attempt.status === 'PASS')
      .map(([id]) => id);
  const spec = item.gates.perf;
  const perfAttempt = spec ? latest.get(spec.gate) : undefined;
  const perf = spec
    ? perfAttempt
      ? readRecordedPerf(runsDir, perfAttempt.run_id, spec.gate, perfAttempt.attempt.attempt)
      : { gate: spec.gate, metric: spec.metric, baseline: null, result: null, delta_pct: null, budget_pct: spec.budget_pct, status: 'not recorded' }
    : undefined;
  const tier_a = passed('A');
  const tier_b = passed('B');
  return {
    header: `${item.identity_block}_pr`,
    issue: item.identity.issue,
    baseline_sha: shas.baseline,
    pr_sha: shas.pr,
    risk: item.identity.risk,
    tier_a,
    tier_b,
    perf: perf as Attestation['perf'],
    not_passed: item.gates.required.filter((g) => !tier_a.includes(g) && !tier_b.includes(g)),
    runs: runs.map((r) => r.run_id),
  };
}

/** The seed's attestation block, as YAML. */
export function renderAttestation(a: Attestation): string {
  const blocks: Record<string, unknown>[] = [
    { [a.header]: { issue: a.issue, baseline_sha: a.baseline_sha, pr_sha: a.pr_sha, risk: a.risk } },
    { gates_passed: { tier_a: a.tier_a, tier_b: a.tier_b } },
  ];
  if (a.perf) {
    const { gate, metric, baseline, result, delta_pct, budget_pct, status } = a.perf;
    blocks.push({ perf: { gate, metric, baseline, result, delta_pct, budget_pct, status } });
  }
  return blocks.map((b) => stringify(b)).join('\n');
}
