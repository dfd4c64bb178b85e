import { ExitCode } from '../../../contracts/errors.js';
import { listRunIds, readRun } from '../../records/run-store.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'run list',
  summary: 'List all runs, newest last.',
  usage: 'gantry run list [--json]',
  options: {},
  async run(_args, ctx) {
    const ws = ctx.workspace();
    const rows = listRunIds(ws.runsDir).map((id) => {
      const r = readRun(ws.runsDir, id);
      const current =
        r.gates.find((g) => g.status === 'RUNNING' || g.status === 'WAITING')?.gate ??
        r.phases.find((p) => p.status === 'running')?.step ??
        null;
      return {
        run_id: r.run_id,
        workflow: r.workflow.name,
        slug: r.workflow.slug,
        status: r.status,
        started_at: r.started_at,
        finished_at: r.finished_at,
        current_step: current,
      };
    });
    if (ctx.json) ctx.out(JSON.stringify(rows));
    else if (rows.length === 0) ctx.out(`no runs in ${ws.runsDir}`);
    else for (const r of rows) ctx.out(`${r.run_id}  ${r.workflow.padEnd(18)} ${r.status.padEnd(8)} ${r.started_at}${r.current_step ? `  at ${r.current_step}` : ''}`);
    return ExitCode.OK;
  },
};
export default command;
