import { ExitCode } from '../../../contracts/errors.js';
import { WorkstationTag } from '../../../contracts/workstation.js';
import { requireInitialised } from '../../config/workspace.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { monitorRun, statusLine, type MonitorView } from '../../workstation/monitor.js';
import { openSite } from '../../workstation/site.js';
import { pullRunFolder } from '../../workstation/sync.js';
import { optionalString, requireString } from '../args.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { finalizeForCli } from '../finalize-run.js';
import { CONNECT_OPTIONS, wholeSeconds, withExecutor } from '../remote.js';
import { checkedName } from '../workstation-args.js';

/** New log lines as they come, a status line every interval; with --json one object per line or status. */
function headlessView(ctx: CliContext, tag: string, target: string): MonitorView {
  return {
    line: (text) => ctx.out(ctx.json ? JSON.stringify({ type: 'line', text }) : text),
    tick: (t) => ctx.out(ctx.json ? JSON.stringify({ type: 'status', ...t }) : statusLine(tag, target, t)),
  };
}

const command: Command = {
  name: 'monitor',
  summary: "Follow an official run's log and status (read-only), locally or on --host; --then-finalize finalizes when it ends.",
  usage: 'gantry monitor --tag <tag> [--host <target>] [--interval <secs>] [--then-finalize] [--json]',
  options: { tag: { type: 'string' }, host: { type: 'string' }, interval: { type: 'string' }, 'then-finalize': { type: 'boolean' }, ...CONNECT_OPTIONS },
  async run(args, ctx) {
    const tag = checkedName(WorkstationTag, requireString(args, 'tag', command), 'tag', command);
    const host = optionalString(args, 'host') ?? 'local';
    const interval = wholeSeconds(args, 'interval', command) ?? 30;
    const ws = requireInitialised(ctx.workspace());
    const config = loadWorkstationConfig(ws);
    // Seam for issue 5: in a terminal this becomes the console's log view (a MonitorView over its store);
    // until that lands a terminal gets the same output as headless mode.
    const view = headlessView(ctx, tag, host);
    return withExecutor(host, args, ctx, async (exec) => {
      const site = await openSite(ws, config, exec);
      const watched = await monitorRun(site, tag, interval, view, ctx.signal);
      const ok = watched.result?.status === 'success';
      if (!args.values['then-finalize']) return ok ? ExitCode.OK : ExitCode.FAILED;
      const notes = host === 'local' ? [] : (await pullRunFolder(ws, config, exec, tag)).notes;
      for (const n of notes) ctx.err(`gantry: ${n}`);
      return finalizeForCli(ctx, ws, config, { tag, reportJson: null, requireFinalSummary: false, notes });
    });
  },
};
export default command;
