import { ExitCode } from '../../../contracts/errors.js';
import { isHeld } from '../../exec/index.js';
import type { Command } from '../command.js';
import { TASK_OPTIONS, withTasks } from '../remote.js';

const command: Command = {
  name: 'task list',
  summary: 'List the tracked tasks on a target, oldest first.',
  usage: 'gantry task list --target <t> [--outputs-dir <dir>] [--json]',
  options: TASK_OPTIONS,
  async run(args, ctx) {
    return withTasks(command, args, ctx, async (tasks, target) => {
      const all = await tasks.list();
      if (ctx.json) ctx.out(JSON.stringify(all));
      else if (all.length === 0) ctx.out(`no tasks in ${tasks.outputsDir}/_tasks on ${target}`);
      else {
        const width = Math.max(2, ...all.map((t) => t.task_id.length));
        ctx.out(`${'ID'.padEnd(width)}  ${'STATE'.padEnd(9)}  EXIT  STARTED               ENDED`);
        for (const t of all)
          ctx.out(
            `${t.task_id.padEnd(width)}  ${(isHeld(t) ? 'held' : t.state).padEnd(9)}  ${String(t.exit_code ?? '-').padEnd(4)}  ${(t.started_at ?? '-').padEnd(20)}  ${t.ended_at ?? '-'}`,
          );
      }
      return ExitCode.OK;
    });
  },
};
export default command;
