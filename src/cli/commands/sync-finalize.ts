import { WorkstationTag } from '../../../contracts/workstation.js';
import { requireInitialised } from '../../config/workspace.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { pullRunFolder } from '../../workstation/sync.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { finalizeForCli } from '../finalize-run.js';
import { CONNECT_OPTIONS, withExecutor } from '../remote.js';
import { checkedName } from '../workstation-args.js';

const command: Command = {
  name: 'sync-finalize',
  summary: "Pull a finished run's audit folder (and its reports) from a host over sftp, checksums compared, then finalize it here.",
  usage: 'gantry sync-finalize --tag <tag> --host <target> [--json]',
  options: { tag: { type: 'string' }, host: { type: 'string' }, ...CONNECT_OPTIONS },
  async run(args, ctx) {
    const tag = checkedName(WorkstationTag, requireString(args, 'tag', command), 'tag', command);
    const host = requireString(args, 'host', command);
    const ws = requireInitialised(ctx.workspace());
    const config = loadWorkstationConfig(ws);
    const synced = await withExecutor(host, args, ctx, (exec) => pullRunFolder(ws, config, exec, tag));
    for (const n of synced.notes) (ctx.json ? ctx.err : ctx.out)(`synced: ${n}`);
    return finalizeForCli(ctx, ws, config, { tag, reportJson: null, requireFinalSummary: false, notes: synced.notes });
  },
};
export default command;
