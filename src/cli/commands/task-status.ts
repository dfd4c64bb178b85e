import { ExitCode } from '../../../contracts/errors.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { statusDetails, TASK_OPTIONS, withTasks } from '../remote.js';

const command: Command = {
  name: 'task status',
  summary: "Show a tracked task's status.json (a task whose wrapper vanished is reported failed: lost).",
  usage: 'gantry task status --target <t> --id <id> [--outputs-dir <dir>] [--json]',
  options: TASK_OPTIONS,
  async run(args, ctx) {
    const id = requireString(args, 'id', command);
    return withTasks(command, args, ctx, async (tasks, target) => {
      const status = await tasks.status(id);
      if (ctx.json) ctx.out(JSON.stringify(status));
      else statusDetails(status, target, tasks.taskDir(id)).forEach((l) => ctx.out(l));
      return ExitCode.OK;
    });
  },
};
export default command;
