import { ExitCode } from '../../../contracts/errors.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { runPreflight } from '../../workstation/preflight.js';
import { localSite } from '../../workstation/site.js';
import { positiveNumber } from '../args.js';
import type { Command } from '../command.js';
import { wholeSeconds } from '../remote.js';

const command: Command = {
  name: 'preflight',
  summary: 'Check this workstation before an official run: CPU cores and memory against thresholds, git branch, commit and dirty state.',
  usage: 'gantry preflight [--min-cores N] [--min-mem-gb N] [--require-clean] [--json]',
  options: { 'min-cores': { type: 'string' }, 'min-mem-gb': { type: 'string' }, 'require-clean': { type: 'boolean' } },
  async run(args, ctx) {
    const ws = ctx.workspace();
    const config = loadWorkstationConfig(ws);
    const site = await localSite(ws, config);
    const report = await runPreflight(site.fs, site.projectDir, site.workspaceRel, {
      min_cores: wholeSeconds(args, 'min-cores', command) ?? config.preflight.min_cores,
      min_mem_gb: positiveNumber(args, 'min-mem-gb', command) ?? config.preflight.min_mem_gb,
      require_clean: args.values['require-clean'] === true || config.preflight.require_clean,
    });
    if (ctx.json) ctx.out(JSON.stringify(report, null, 2));
    else {
      for (const c of report.checks) ctx.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(7)} ${c.detail}`);
      ctx.out(report.ok ? `preflight passed on ${report.hostname}` : `preflight FAILED: ${report.failures.join('; ')}`);
    }
    return report.ok ? ExitCode.OK : ExitCode.FAILED;
  },
};
export default command;
