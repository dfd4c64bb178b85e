import type { WorkstationConfig } from '../../contracts/workstation.js';
import type { Workspace } from '../config/workspace.js';
import { finalizeRun, queuePath, registryPath, type FinalizeRequest } from '../workstation/finalize.js';
import type { CliContext } from './context.js';
import { exitCodeFor } from './exit-status.js';
import { reporter } from './reporter.js';

/** Runs the finalize chain for a CLI command (finalize, monitor --then-finalize, sync-finalize) and reports it. */
export async function finalizeForCli(ctx: CliContext, ws: Workspace, config: WorkstationConfig, req: FinalizeRequest): Promise<number> {
  const out = await finalizeRun(req, { ws, config, signal: ctx.signal, events: reporter(ctx.json, ctx.out) });
  const { workflow, plan } = out;
  if (ctx.json)
    ctx.out(
      JSON.stringify({
        run_id: out.runId,
        tag: req.tag,
        status: workflow.status,
        reason: workflow.reason,
        audit_dir: out.folder.dir,
        governance_ok: out.check?.ok ?? null,
        failed_checks: out.check?.failed ?? [],
        remediation: plan?.plan.items ?? [],
        review: out.review,
        registry: out.registry && { path: registryPath(ws), appended: out.registry.appended, row: out.registry.row },
        queue: out.queue && { path: queuePath(ws), candidates: out.queue.candidates.length },
      }),
    );
  else {
    ctx.out(`finalize ${req.tag}: ${workflow.status}${workflow.reason ? ` — ${workflow.reason}` : ''}`);
    if (plan && !plan.plan.ok) {
      ctx.out(`remediation plan: ${plan.md}`);
      plan.plan.items.forEach((item, i) => ctx.out(`  ${i + 1}. ${item.check}: ${item.problem}\n     fix: ${item.command}`));
    }
    if (out.review) ctx.out(`run review: ${out.review}`);
    if (out.registry) ctx.out(`registry: ${out.registry.appended ? 'appended' : 'unchanged'} ${registryPath(ws)}`);
    if (out.queue) ctx.out(`candidate queue: ${out.queue.candidates.length} candidate(s) in ${queuePath(ws)}`);
  }
  if (workflow.error) ctx.err(workflow.error.render());
  return exitCodeFor(workflow);
}
