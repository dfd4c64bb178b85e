import { ExitCode } from '../../../contracts/errors.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { writeRunReview } from '../../workstation/run-review.js';
import type { Command } from '../command.js';
import { runDirAndReport } from '../workstation-args.js';

const command: Command = {
  name: 'review',
  summary: 'Write run_review.md into an audit folder: what ran, inputs, gates, results, timings, hashes.',
  usage: 'gantry review --run-dir <dir> [--report-json <file>] [--json]',
  options: { 'run-dir': { type: 'string' }, 'report-json': { type: 'string' } },
  async run(args, ctx) {
    const { folder, ws, reportJson } = await runDirAndReport(args, ctx, command);
    const path = await writeRunReview({ folder, reportJson, projectRoot: ws.projectRoot, metrics: loadWorkstationConfig(ws).registry.metrics });
    ctx.out(ctx.json ? JSON.stringify({ review: path }) : `run review: ${path}`);
    return ExitCode.OK;
  },
};
export default command;
