import { ExitCode } from '../../../contracts/errors.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { statusLine, TASK_OPTIONS, withTasks } from '../remote.js';

const command: Command = {
  name: 'task kill',
  summary: "End a tracked task's whole process group: TERM, then KILL after 5 s.",
  usage: 'gantry task kill --target <t> --id <id> [--outputs-dir <dir>] [--json]',
  options: TASK_OPTIONS,
  async run(args, ctx) {
    const id = requireString(args, 'id', command);
    return withTasks(command, args, ctx, async (tasks) => {
      const { signalled, status } = await tasks.kill(id);
      if (ctx.json) ctx.out(JSON.stringify({ signalled, status }));
      else ctx.out(signalled ? `${statusLine(status)} (killed)` : `${statusLine(status)} (was not running)`);
      return ExitCode.OK;
    });
  },
};
export default command;
