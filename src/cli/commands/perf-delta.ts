import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { requireInitialised } from '../../config/workspace.js';
import { loadWorkflow } from '../../config/definitions.js';
import { loadContract } from '../../workitems/contract.js';
import { perfDelta, readMetric } from '../../workitems/perf.js';
import { recordPerf } from '../../workitems/perf-record.js';
import { loadRegistry, registryFile, requireGate } from '../../workitems/registry.js';
import { closeWorkItemRun, openWorkItemRun, WORK_ITEM_WORKFLOW, workItemKeyAt } from '../../workitems/work-item-run.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'perf delta',
  summary:
    'Compare the contract\'s perf metric in a result JSON with a baseline JSON against budget_pct, and record it as an attempt of the perf gate. Exit 0 within budget, 1 over.',
  usage: 'gantry perf delta --contract <file> --baseline <json> --result <json> [--json]',
  options: { contract: { type: 'string' }, baseline: { type: 'string' }, result: { type: 'string' } },
  async run(args, ctx) {
    const contract = loadContract(requireString(args, 'contract', command));
    const baselineFile = requireString(args, 'baseline', command);
    const resultFile = requireString(args, 'result', command);
    const spec = contract.item.gates.perf;
    if (!spec)
      throw new GantryError(ExitCode.USAGE, `${contract.file} has no gates.perf block`, {
        where: contract.file,
        hint: 'add gates.perf: {gate, metric, baseline_ref, budget_pct}',
      });
    const ws = requireInitialised(ctx.workspace());
    const registry = loadRegistry(registryFile(ws));
    const gate = requireGate(registry, spec.gate);
    const delta = perfDelta({
      gate: spec.gate,
      metric: spec.metric,
      better: spec.better ?? gate.better ?? 'higher',
      baseline: readMetric(baselineFile, spec.metric),
      result: readMetric(resultFile, spec.metric),
      budget_pct: spec.budget_pct,
    });
    const key = await workItemKeyAt(ctx.cwd, contract);
    const w = openWorkItemRun(ws, loadWorkflow(ws, WORK_ITEM_WORKFLOW), registry.registry, key, [spec.gate]);
    try {
      const attempt = await recordPerf(w, delta, { baseline: baselineFile, result: resultFile }, key.repo);
      closeWorkItemRun(w, [{ gate: spec.gate, status: attempt.status }], undefined);
    } catch (e) {
      closeWorkItemRun(w, [], e);
      throw e;
    }
    if (ctx.json) ctx.out(JSON.stringify({ ...delta, run_id: w.runId }));
    else {
      ctx.out(`perf ${delta.status}: ${delta.metric} ${delta.baseline} → ${delta.result}, delta ${delta.delta_pct}% (budget ${delta.budget_pct}%, ${delta.better} is better)`);
      ctx.out(`  recorded as ${delta.gate} in run ${w.runId}`);
    }
    return delta.status === 'pass' ? ExitCode.OK : ExitCode.FAILED;
  },
};
export default command;
