import { resolve } from 'node:path';
import { ExitCode } from '../../../contracts/errors.js';
import { writeRemediationPlan } from '../../workstation/remediation.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'audit remediate',
  summary: 'Remediation plan from a governance audit check: governance_remediation_plan.json and .md beside it, with the command that fixes each failed check.',
  usage: 'gantry audit remediate --audit-json <file> [--json]',
  options: { 'audit-json': { type: 'string' } },
  async run(args, ctx) {
    const { plan, json, md } = writeRemediationPlan(resolve(ctx.cwd, requireString(args, 'audit-json', command)));
    if (ctx.json) ctx.out(JSON.stringify({ ...plan, files: [json, md] }, null, 2));
    else {
      if (plan.ok) ctx.out('nothing to fix: every governance check passed');
      plan.items.forEach((item, i) => ctx.out(`${i + 1}. ${item.check}: ${item.problem}\n   fix: ${item.command}`));
      ctx.out(`remediation plan: ${md}`);
    }
    return plan.ok ? ExitCode.OK : ExitCode.FAILED;
  },
};
export default command;
