import { basename, join, relative } from 'node:path';
import type { ValidationResult } from '../../contracts/attempt.js';
import type { EngineEvent } from '../../contracts/events.js';
import { ExitCode, GantryError, isGantryError } from '../../contracts/errors.js';
import type { StepDef } from '../../contracts/workflow.js';
import { type GovernanceAuditCheck, type RemediationPlan, type WorkstationConfig } from '../../contracts/workstation.js';
import { loadGateContract, loadWorkflow } from '../config/definitions.js';
import type { Workspace } from '../config/workspace.js';
import { refusingAnswerer } from '../engine/answers.js';
import { failGate, finishGate, startGate } from '../engine/gate-ops.js';
import { runWorkflow, type WorkflowResult } from '../engine/run-workflow.js';
import type { RunContext, StepOutcome } from '../engine/step-handler.js';
import { createRun } from '../records/run-store.js';
import { AUDIT_FILES, auditRootOf, type AuditFolder } from './audit-folder.js';
import { buildQueue, refreshQueue } from './candidate-queue.js';
import { reportFor, writeGovernanceCheck } from './governance-check.js';
import { updateRegistry, type RegistryUpdate } from './registry.js';
import { writeRemediationPlan } from './remediation.js';
import { writeRunReview } from './run-review.js';
import { localSite, requireRunFolder } from './site.js';

/** The append-only ledger and the ranked queue, beside the run folders. */
export const registryPath = (ws: Workspace) => join(auditRootOf(ws.root), 'registry.jsonl');
export const queuePath = (ws: Workspace) => join(auditRootOf(ws.root), 'candidate_queue.json');

export interface FinalizeRequest {
  tag: string;
  /** Absolute; null: the report result.json lists. */
  reportJson: string | null;
  requireFinalSummary: boolean;
  /** Recorded as notes at the start of the run (e.g. what sync-finalize pulled). */
  notes: string[];
}

export interface FinalizeIo {
  ws: Workspace;
  config: WorkstationConfig;
  signal: AbortSignal;
  events(e: EngineEvent): void;
}

export interface FinalizeOutcome {
  runId: string;
  folder: AuditFolder;
  workflow: WorkflowResult;
  check: GovernanceAuditCheck | null;
  plan: { plan: RemediationPlan; md: string } | null;
  review: string | null;
  registry: RegistryUpdate | null;
  queue: ReturnType<typeof buildQueue> | null;
}

const check = (type: string, path: string, pass: boolean, detail: string): ValidationResult => ({ type, path, pass, severity: 'fail', detail });

/**
 * The post-run chain on a local audit folder, as a gantry run of the `finalize` workflow: G1 governance
 * audit check → G2 remediation plan → G3 run review → G4 registry update → G5 candidate queue refresh.
 * A failed check does not stop G2 (the plan is what fixes it); a plan with items stops the chain, so a
 * run that fails governance never reaches the registry.
 */
export async function finalizeRun(req: FinalizeRequest, io: FinalizeIo): Promise<FinalizeOutcome> {
  const site = await localSite(io.ws, io.config);
  const folder = await requireRunFolder(site, req.tag);
  const def = loadWorkflow(io.ws, 'finalize');
  const writer = createRun(
    io.ws.runsDir,
    {
      workflow: { name: def.name, version: def.version, slug: basename(folder.dir), artifact_path: relative(io.ws.projectRoot, auditRootOf(io.ws.root)) },
      depth: 'standard',
      steps: def.steps.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
      params: { tag: req.tag, run_dir: folder.dir, ...(req.reportJson ? { report_json: req.reportJson } : {}) },
    },
    io.events,
  );
  const out: FinalizeOutcome = { runId: writer.runId, folder, workflow: { status: 'RUNNING', reason: null }, check: null, plan: null, review: null, registry: null, queue: null };
  try {
    for (const message of req.notes) writer.append({ type: 'note', step: null, message });
    const gate = async (step: StepDef, ctx: RunContext): Promise<StepOutcome> => {
      const { contract } = loadGateContract(io.ws, step.contract!);
      startGate(ctx.writer, step.id, 'gantry finalize');
      let checks: ValidationResult[];
      try {
        checks = await runAction(step, req, io, out);
      } catch (e) {
        if (isGantryError(e) && !ctx.signal.aborted) {
          ctx.writer.append({ type: 'error.recorded', tier: 'fatal', step: step.id, message: e.message });
          failGate(ctx.writer, step.id, e.message);
        }
        throw e;
      }
      const a = await finishGate(ctx.writer, step.id, contract, io.ws.projectRoot, checks);
      // The audit check's failures are the remediation plan's input, so the chain goes on to G2.
      const halt = a.status !== 'PASS' && step.with.action !== 'audit-check';
      return { halt, reason: halt ? `${step.id} ${step.name} failed: ${a.failure_reason}` : null };
    };
    out.workflow = await runWorkflow({ ws: io.ws, def, writer, answerer: refusingAnswerer, signal: io.signal, options: {} }, { gate });
    return out;
  } finally {
    writer.close();
  }
}

async function runAction(step: StepDef, req: FinalizeRequest, io: FinalizeIo, out: FinalizeOutcome): Promise<ValidationResult[]> {
  const { folder } = out;
  const projectRoot = io.ws.projectRoot;
  const report = () => out.check?.report_json ?? req.reportJson ?? null;
  switch (step.with.action) {
    case 'audit-check': {
      out.check = await writeGovernanceCheck({
        folder,
        reportJson: await reportFor(folder, req.reportJson, projectRoot),
        requireFinalSummary: req.requireFinalSummary,
        finalSummaryPath: io.config.governance.final_summary_path,
        projectRoot,
      });
      return out.check.checks.map((c) => check('governance', c.id, c.ok, c.detail));
    }
    case 'remediate': {
      const { plan, md } = writeRemediationPlan(folder.path(AUDIT_FILES.check));
      out.plan = { plan, md };
      return plan.items.map((i) => check('remediation', i.check, false, `${i.problem} — fix: ${i.command}`));
    }
    case 'review':
      out.review = await writeRunReview({ folder, reportJson: report(), projectRoot, metrics: io.config.registry.metrics });
      return [];
    case 'registry': {
      const reportJson = report();
      if (!reportJson) throw new GantryError(ExitCode.NOT_FOUND, 'no report to register', { hint: 'pass --report-json <file>' });
      const registry = registryPath(io.ws);
      out.registry = await updateRegistry({ registry, folder, reportJson, projectRoot, config: io.config });
      return [check('registry', relative(projectRoot, registry), true, out.registry.appended ? `appended ${out.registry.row.tag}` : `unchanged: ${out.registry.row.tag} is recorded with the same content`)];
    }
    case 'queue': {
      const r = refreshQueue({ registry: registryPath(io.ws), queue: queuePath(io.ws), config: io.config });
      out.queue = r.queue;
      return [check('queue', relative(projectRoot, queuePath(io.ws)), true, `${r.queue.candidates.length} candidate(s), ${r.queue.excluded.length} excluded${r.changed ? '' : ' (unchanged)'}`)];
    }
    default:
      throw new GantryError(ExitCode.INVALID_INPUT, `finalize step ${step.id} has an unknown action "${String(step.with.action)}"`, {
        hint: 'use one of audit-check, remediate, review, registry, queue in `with: { action: ... }`',
      });
  }
}
