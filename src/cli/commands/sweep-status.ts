import { ExitCode } from '../../../contracts/errors.js';
import { sweepStatus } from '../../flow/sweep/status.js';
import type { Command } from '../command.js';
import { CONNECT_OPTIONS } from '../remote.js';
import { withFlowTarget } from './fsm-status.js';

const command: Command = {
  name: 'sweep status',
  summary: "Show every row of the sweep on the flow's target: one remote command for all rows.",
  usage: 'gantry sweep status [--target <t>] [--accept-new-host-key] [--json]',
  options: { target: { type: 'string' }, ...CONNECT_OPTIONS },
  async run(args, ctx) {
    const { view, env, target } = await withFlowTarget(args, ctx, async (ex, env, target) => ({ view: await sweepStatus(ex, env.OPS_REMOTE_OUTPUTS_DIR), env, target }));
    const rows = view.rows.map((r) => ({ run_id: r.run_id, task_id: r.task_id, state: r.state, detail: r.detail, exit_code: r.task?.exit_code ?? null, summary_ok: r.summaryOk }));
    if (ctx.json) ctx.out(JSON.stringify({ target, plan: view.plan, rows }));
    else if (!view.plan) ctx.out(`no sweep on ${target} (${env.OPS_REMOTE_OUTPUTS_DIR}/_control/sweep.json is missing)`);
    else {
      const count = (st: string) => rows.filter((r) => r.state === st).length;
      ctx.out(`sweep of flow ${view.plan.flow_id} (${view.plan.mode}, planned ${view.plan.planned_at}) on ${target}`);
      ctx.out(`  ${rows.length} rows: ${count('done') + count('skipped')} done, ${count('running')} running, ${count('waiting')} waiting, ${count('failed')} failed`);
      for (const r of rows) ctx.out(`  ${r.run_id.padEnd(24)} ${r.state.padEnd(10)} ${r.task_id ?? '-'}${r.detail ? `  ${r.detail}` : ''}`);
    }
    return ExitCode.OK;
  },
};
export default command;
