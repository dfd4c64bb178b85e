import { resolve } from 'node:path';
import { ExitCode } from '../../../contracts/errors.js';
import { requireInitialised } from '../../config/workspace.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { registryPath } from '../../workstation/finalize.js';
import { updateRegistry } from '../../workstation/registry.js';
import { localFolder } from '../../workstation/site.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'registry update',
  summary: "Append a run to the workspace's registry ledger (audit/registry.jsonl), keyed by tag, metrics from the report; unchanged runs are not appended again.",
  usage: 'gantry registry update --report-json <file> --run-dir <dir> [--json]',
  options: { 'report-json': { type: 'string' }, 'run-dir': { type: 'string' } },
  async run(args, ctx) {
    const reportJson = resolve(ctx.cwd, requireString(args, 'report-json', command));
    const folder = localFolder(resolve(ctx.cwd, requireString(args, 'run-dir', command)));
    const ws = requireInitialised(ctx.workspace());
    const registry = registryPath(ws);
    const r = await updateRegistry({ registry, folder, reportJson, projectRoot: ws.projectRoot, config: loadWorkstationConfig(ws) });
    if (ctx.json) ctx.out(JSON.stringify({ registry, appended: r.appended, row: r.row }));
    else {
      ctx.out(`${r.appended ? 'appended' : 'unchanged (same content already recorded)'}: ${r.row.tag} → ${registry}`);
      for (const [k, v] of Object.entries(r.row.metrics)) ctx.out(`  ${k} = ${JSON.stringify(v)}`);
    }
    return ExitCode.OK;
  },
};
export default command;
