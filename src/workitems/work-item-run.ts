import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ExitCode, isGantryError } from '../../contracts/errors.js';
import type { GateView, RunRecord } from '../../contracts/run.js';
import type { WorkflowDef } from '../../contracts/workflow.js';
import type { GateRegistry } from '../../contracts/gate-registry.js';
import type { Workspace } from '../config/workspace.js';
import { createRun, listRunIds, openRun, readRun } from '../records/run-store.js';
import type { EventListener, RunWriter } from '../records/run-writer.js';
import type { LoadedContract } from './contract.js';
import { headSha, repoRoot } from './git.js';

export const WORK_ITEM_WORKFLOW = 'work-item';

/** What a work-item run is for: one contract's issue at one commit. */
export interface WorkItemKey {
  /** Empty for gates run without a contract. */
  issue: string;
  slug: string;
  risk: string;
  identity_block: string;
  pr_sha: string;
  contract: string;
  repo: string;
}

/** The key of the run a command records into: the contract's issue (or none) at the repository's HEAD. */
export async function workItemKeyAt(cwd: string, contract: LoadedContract | undefined): Promise<WorkItemKey> {
  const repo = await repoRoot(cwd);
  const id = contract?.item.identity;
  return {
    issue: id?.issue ?? '',
    slug: id?.slug ?? 'adhoc',
    risk: id?.risk ?? '',
    identity_block: contract?.item.identity_block ?? '',
    pr_sha: await headSha(repo),
    contract: contract ? resolve(contract.file) : '',
    repo,
  };
}

const matches = (r: RunRecord, issue: string, sha: string) =>
  r.workflow.name === WORK_ITEM_WORKFLOW && r.params.issue === issue && r.params.pr_sha === sha;

/** Every work-item run recorded for this issue and commit, oldest first. */
export function workItemRuns(runsDir: string, issue: string, sha: string): RunRecord[] {
  return listRunIds(runsDir)
    .map((id) => readRun(runsDir, id))
    .filter((r) => matches(r, issue, sha));
}

/**
 * The run for this contract and commit, opened for writing: the latest one that knows every gate asked
 * for, else a new one whose gates are the whole registry plus the workflow's approval steps.
 */
export function openWorkItemRun(
  ws: Workspace,
  def: WorkflowDef,
  registry: GateRegistry,
  key: WorkItemKey,
  gates: readonly string[],
  listener?: EventListener,
): RunWriter {
  const existing = workItemRuns(ws.runsDir, key.issue, key.pr_sha)
    .filter((r) => gates.every((g) => r.gates.some((v) => v.gate === g)))
    .at(-1);
  if (existing) {
    const w = openRun(ws.runsDir, existing.run_id, `${WORK_ITEM_WORKFLOW} gates`);
    if (listener) w.subscribe(listener);
    if (w.record?.status !== 'RUNNING') w.append({ type: 'run.resumed', pid: process.pid, host: hostname() });
    return w;
  }
  const approvals = def.steps.filter((s) => s.kind === 'approval').map((s) => ({ id: s.id, name: s.name, kind: s.kind }));
  const registryGates = Object.entries(registry.gates).map(([id, g]) => ({ id, name: g.description ?? id, kind: 'gate' }));
  return createRun(
    ws.runsDir,
    {
      workflow: {
        name: def.name,
        version: def.version,
        slug: key.issue ? `issue-${key.issue}-${key.slug}` : 'adhoc',
        artifact_path: '.',
      },
      depth: 'standard',
      steps: [...approvals, ...registryGates],
      params: { ...key },
    },
    listener,
  );
}

/**
 * Ends this invocation's part of the run: PASSED when every gate it ran passed, FAILED when one failed or
 * an error stopped it, CANCELED on a signal. The next invocation resumes the run.
 */
export function closeWorkItemRun(w: RunWriter, ran: { gate: string; status: string }[], error: unknown): void {
  try {
    if (w.record?.status !== 'RUNNING') return;
    const failed = ran.filter((r) => r.status !== 'PASS').map((r) => r.gate);
    const why = error === undefined ? null : isGantryError(error) ? error.message : String(error);
    const canceled = isGantryError(error) && error.code === ExitCode.INTERRUPTED;
    w.append({
      type: 'run.finished',
      status: canceled ? 'CANCELED' : failed.length || why ? 'FAILED' : 'PASSED',
      reason: [failed.length ? `failed: ${failed.join(', ')}` : ran.length ? `passed: ${ran.map((r) => r.gate).join(', ')}` : '', why ?? '']
        .filter(Boolean)
        .join('; ') || null,
    });
  } finally {
    w.close();
  }
}

export interface LatestAttempt {
  run_id: string;
  gate: string;
  attempt: GateView['attempts'][number];
}

/** Each gate's most recent finished attempt across the runs (a later attempt replaces an earlier one). */
export function latestAttempts(runs: RunRecord[]): Map<string, LatestAttempt> {
  const latest = new Map<string, LatestAttempt>();
  for (const r of runs)
    for (const g of r.gates)
      for (const a of g.attempts) {
        if (a.finished_at === null) continue;
        const seen = latest.get(g.gate);
        if (!seen || a.finished_at >= seen.attempt.finished_at!) latest.set(g.gate, { run_id: r.run_id, gate: g.gate, attempt: a });
      }
  return latest;
}
