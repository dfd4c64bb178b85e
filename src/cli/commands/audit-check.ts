import { ExitCode } from '../../../contracts/errors.js';
import { AUDIT_FILES } from '../../workstation/audit-folder.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { writeGovernanceCheck } from '../../workstation/governance-check.js';
import type { Command } from '../command.js';
import { runDirAndReport } from '../workstation-args.js';

const command: Command = {
  name: 'audit check',
  summary: 'Governance completeness check of an audit folder; writes governance_audit_check.json into it.',
  usage: 'gantry audit check --run-dir <dir> [--report-json <file>] [--require-final-summary] [--json]',
  options: { 'run-dir': { type: 'string' }, 'report-json': { type: 'string' }, 'require-final-summary': { type: 'boolean' } },
  async run(args, ctx) {
    const { folder, ws, reportJson } = await runDirAndReport(args, ctx, command);
    const check = await writeGovernanceCheck({
      folder,
      reportJson,
      requireFinalSummary: args.values['require-final-summary'] === true,
      finalSummaryPath: loadWorkstationConfig(ws).governance.final_summary_path,
      projectRoot: ws.projectRoot,
    });
    if (ctx.json) ctx.out(JSON.stringify(check, null, 2));
    else {
      for (const c of check.checks) ctx.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.id.padEnd(24)} ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}`);
      ctx.out(`${check.ok ? 'governance audit check passed' : `governance audit check FAILED: ${check.failed.join(', ')}`} — ${folder.path(AUDIT_FILES.check)}`);
    }
    return check.ok ? ExitCode.OK : ExitCode.FAILED;
  },
};
export default command;
