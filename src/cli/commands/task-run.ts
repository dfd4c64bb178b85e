import { ExitCode } from '../../../contracts/errors.js';
import { TASK_RUNNER_CHOICES, TMUX_SESSION } from '../../exec/index.js';
import { choice, optionalString, requireString } from '../args.js';
import type { Command } from '../command.js';
import { TASK_OPTIONS, wholeSeconds, withTasks } from '../remote.js';

const command: Command = {
  name: 'task run',
  summary: 'Start a tracked task, detached on the target (tmux window or setsid); it survives a dropped connection.',
  usage:
    "gantry task run --target <t> --id <id> [--timeout-secs N] --cmd '<command>' [--after <task id>] [--outputs-dir <dir>] [--runner auto|tmux|setsid] [--accept-new-host-key] [--json]",
  options: { ...TASK_OPTIONS, cmd: { type: 'string' }, 'timeout-secs': { type: 'string' }, runner: { type: 'string' }, after: { type: 'string' } },
  async run(args, ctx) {
    const id = requireString(args, 'id', command);
    const cmd = requireString(args, 'cmd', command);
    const timeoutSecs = wholeSeconds(args, 'timeout-secs', command);
    const runner = choice(args, 'runner', TASK_RUNNER_CHOICES, 'auto', command);
    const after = optionalString(args, 'after');
    return withTasks(command, args, ctx, async (tasks, target) => {
      const started = await tasks.start({ id, command: cmd, timeoutSecs, runner, after });
      if (ctx.json) ctx.out(JSON.stringify({ task_id: id, target, dir: started.dir, runner: started.runner, held: started.held }));
      else {
        ctx.out(started.held ? `task ${id} created on ${target}; it starts when task ${after} has ended (${started.runner})` : `task ${id} started on ${target} (${started.runner})`);
        ctx.out(`  folder: ${started.dir}`);
        if (started.runner === 'tmux') ctx.out(`  watch:  tmux attach -t ${TMUX_SESSION}   (window ${id})`);
        const outputs = optionalString(args, 'outputs-dir');
        ctx.out(`  next:   gantry task wait --target ${target} --id ${id}${outputs === undefined ? '' : ` --outputs-dir ${outputs}`}`);
      }
      return ExitCode.OK;
    });
  },
};
export default command;
