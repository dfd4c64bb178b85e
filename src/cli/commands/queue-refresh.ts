import { ExitCode } from '../../../contracts/errors.js';
import { requireInitialised } from '../../config/workspace.js';
import { refreshQueue } from '../../workstation/candidate-queue.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { queuePath, registryPath } from '../../workstation/finalize.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'queue refresh',
  summary: 'Rank the registry into audit/candidate_queue.json by the configured metric and filters.',
  usage: 'gantry queue refresh [--json]',
  options: {},
  async run(_args, ctx) {
    const ws = requireInitialised(ctx.workspace());
    const queue = queuePath(ws);
    const r = refreshQueue({ registry: registryPath(ws), queue, config: loadWorkstationConfig(ws) });
    if (ctx.json) ctx.out(JSON.stringify({ ...r.queue, path: queue, changed: r.changed }, null, 2));
    else {
      ctx.out(`candidate queue${r.changed ? '' : ' (unchanged)'}: ${queue}`);
      for (const c of r.queue.candidates) ctx.out(`  ${String(c.rank).padStart(3)}. ${c.tag}${r.queue.metric ? `  ${r.queue.metric}=${JSON.stringify(c.value)}` : ''}`);
      for (const x of r.queue.excluded) ctx.out(`   -   ${x.tag}: excluded, ${x.reason}`);
    }
    return ExitCode.OK;
  },
};
export default command;
