import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { execa } from 'execa';
import { ExitCode, GantryError, isGantryError } from '../../contracts/errors.js';
import type { WorkflowDef } from '../../contracts/workflow.js';
import type { Workspace } from '../config/workspace.js';
import type { GateAnswerer } from '../engine/answers.js';
import { runGateStep } from '../engine/steps/gate-step.js';
import type { Executor, TrackedTasks } from '../exec/index.js';
import type { RunPaths } from '../records/run-paths.js';
import type { EventListener, RunWriter } from '../records/run-writer.js';
import { git } from './git.js';
import { missingRequires, runLocalGate, runRemoteGate, type GateRunOptions } from './gate-runner.js';
import type { LoadedRegistry } from './registry.js';
import { closeWorkItemRun, openWorkItemRun, type WorkItemKey } from './work-item-run.js';

export interface RemoteTarget {
  target: string;
  executor: Executor;
  tasks: TrackedTasks;
}

export interface GatesRunRequest {
  ws: Workspace;
  def: WorkflowDef;
  registry: LoadedRegistry;
  key: WorkItemKey;
  /** Command gates, tier A first (from selectGates). */
  gates: string[];
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  listener: EventListener;
  onLine: (gate: string, line: string) => void;
  local: Executor;
  /** Needed when any tier B gate is selected. */
  remote: RemoteTarget | undefined;
  /** Who approves starting tier B (console, consent, external), for this run's inbox. */
  answererFor: (paths: RunPaths) => GateAnswerer;
}

export interface GatesRunResult {
  runId: string;
  results: { gate: string; status: string }[];
}

const tierOf = (req: GatesRunRequest, id: string) => req.registry.registry.gates[id]!.tier;

/**
 * Runs the selected gates and records each as a gate attempt in the work-item run for this contract and
 * commit. Tier A runs here; tier B needs a maintainer's approval (the workflow's approval step) and then
 * runs on the target, on exactly this commit's tree, as tracked tasks.
 */
export async function runGates(req: GatesRunRequest): Promise<GatesRunResult> {
  const tierB = req.gates.filter((g) => tierOf(req, g) === 'B');
  if (tierB.length && !req.remote)
    throw new GantryError(ExitCode.USAGE, `tier B gate${tierB.length > 1 ? 's' : ''} ${tierB.join(', ')} run on a target`, {
      hint: 'pass --target <host> (a GPU host: ssh://user@host, an ssh config alias, or local)',
    });
  const approval = req.def.steps.find((s) => s.kind === 'approval');
  if (tierB.length && !approval)
    throw new GantryError(ExitCode.INVALID_INPUT, `workflow ${req.def.name} has no approval step for tier B`, {
      hint: 'restore the approval step of the work-item workflow',
    });
  const w = openWorkItemRun(req.ws, req.def, req.registry.registry, req.key, [...req.gates, ...(tierB.length ? [approval!.id] : [])], req.listener);
  const results: GatesRunResult['results'] = [];
  let error: unknown;
  try {
    const opts = (agent: string): GateRunOptions => ({ writer: w, env: req.env, signal: req.signal, agent, onLine: req.onLine });
    await noteDirtyTree(w, req.key.repo, req.ws.root);
    for (const id of req.gates.filter((g) => tierOf(req, g) === 'A')) {
      const a = await runLocalGate(opts('gantry (local)'), id, req.registry.registry.gates[id]!, req.local, req.key.repo);
      results.push({ gate: id, status: a.status });
    }
    if (tierB.length) await runTierB(req, w, approval!, tierB, opts(`gantry (${req.remote!.target})`), results);
    return { runId: w.runId, results };
  } catch (e) {
    error = req.signal.aborted && !isGantryError(e) ? new GantryError(ExitCode.INTERRUPTED, `canceled by ${String(req.signal.reason ?? 'signal')}`) : e;
    throw error;
  } finally {
    closeWorkItemRun(w, results, error);
  }
}

async function runTierB(
  req: GatesRunRequest,
  w: RunWriter,
  approvalStep: WorkflowDef['steps'][number],
  gates: string[],
  opts: GateRunOptions,
  results: GatesRunResult['results'],
): Promise<void> {
  const remote = req.remote!;
  const gateDef = (id: string) => req.registry.registry.gates[id]!;
  const remoteDir = `${req.registry.registry.tier_b.remote_root}/${req.key.issue || 'adhoc'}-${req.key.pr_sha.slice(0, 12)}`;
  const runGate = async (id: string) => {
    const taskId = (attempt: number) => `wi-${req.key.issue || 'adhoc'}-${id.replace(/[^A-Za-z0-9._-]/g, '_')}-${w.runId.slice(-6)}-${attempt}`;
    const a = await runRemoteGate(opts, id, gateDef(id), remote.tasks, remote.target, remoteDir, taskId);
    results.push({ gate: id, status: a.status });
  };
  // A gate that cannot start anyway fails at once, before anyone is asked or anything is shipped.
  const unready = gates.filter((id) => missingRequires(gateDef(id), req.env).length > 0);
  for (const id of unready) await runGate(id);
  const ready = gates.filter((id) => !unready.includes(id));
  if (!ready.length) return;

  const step = {
    ...approvalStep,
    intent: [
      approvalStep.intent ?? '',
      '',
      `issue:   ${req.key.issue || '(no contract)'} ${req.key.slug}`,
      `commit:  ${req.key.pr_sha}`,
      `target:  ${remote.target} (in ${remoteDir})`,
      `gates:   ${ready.join(', ')}`,
    ].join('\n'),
  };
  const ctx = { ws: req.ws, def: req.def, writer: w, answerer: req.answererFor(w.paths), signal: req.signal, options: {} };
  const outcome = await runGateStep(step, ctx).catch((e: unknown) => {
    results.push({ gate: approvalStep.id, status: 'FAIL' });
    throw e;
  });
  results.push({ gate: approvalStep.id, status: outcome.halt ? 'FAIL' : 'PASS' });
  if (outcome.halt) return;

  await shipCommit(req.key.repo, req.key.pr_sha, remote.executor, remoteDir);
  w.append({ type: 'note', step: approvalStep.id, message: `commit ${req.key.pr_sha} unpacked on ${remote.target} in ${remoteDir}` });
  for (const id of ready) await runGate(id);
}

/** Copies exactly the commit's tree (not the working tree) to the target, so tier B tests what is attested. */
async function shipCommit(repo: string, sha: string, executor: Executor, remoteDir: string): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'gantry-tree-'));
  try {
    const tree = join(tmp, 'tree');
    mkdirSync(tree);
    await execa('git', ['archive', '--format=tar', sha], { cwd: repo })
      .pipe('tar', ['-x', '-C', tree])
      .catch((e: Error) => {
        throw new GantryError(ExitCode.FAILED, `could not export commit ${sha}: ${e.message.split('\n')[0]}`, { where: repo });
      });
    await executor.upload(tree, remoteDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Uncommitted changes to tracked files, the gantry workspace (run records) left out. */
async function noteDirtyTree(w: RunWriter, repo: string, workspace: string): Promise<void> {
  const ws = relative(repo, workspace);
  const outside = ws === '' || ws.startsWith('..') || isAbsolute(ws);
  const changed = await git(repo, ['status', '--porcelain', '--untracked-files=no', '--', '.', ...(outside ? [] : [`:(exclude)${ws}`])]);
  if (changed.trim())
    w.append({
      type: 'note',
      step: null,
      message: 'the working tree has uncommitted changes: tier A gates run on them, but are recorded against HEAD — commit before attesting',
    });
}
