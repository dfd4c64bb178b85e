import { resolve } from 'node:path';
import { WorkstationTag } from '../../../contracts/workstation.js';
import { requireInitialised } from '../../config/workspace.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { optionalString, requireString } from '../args.js';
import type { Command } from '../command.js';
import { finalizeForCli } from '../finalize-run.js';
import { checkedName } from '../workstation-args.js';

const command: Command = {
  name: 'finalize',
  summary: 'Post-run governance chain on a local audit folder, each step a recorded gate: audit check → remediation plan → run review → registry → candidate queue.',
  usage: 'gantry finalize --tag <tag> [--report-json <file>] [--require-final-summary] [--json]',
  options: { tag: { type: 'string' }, 'report-json': { type: 'string' }, 'require-final-summary': { type: 'boolean' } },
  async run(args, ctx) {
    const tag = checkedName(WorkstationTag, requireString(args, 'tag', command), 'tag', command);
    const report = optionalString(args, 'report-json');
    const ws = requireInitialised(ctx.workspace());
    return finalizeForCli(ctx, ws, loadWorkstationConfig(ws), {
      tag,
      reportJson: report === undefined ? null : resolve(ctx.cwd, report),
      requireFinalSummary: args.values['require-final-summary'] === true,
      notes: [],
    });
  },
};
export default command;
