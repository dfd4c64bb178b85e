import { ExitCode } from '../../../contracts/errors.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { statusLine, TASK_OPTIONS, wholeSeconds, withTasks } from '../remote.js';

const command: Command = {
  name: 'task wait',
  summary: 'Wait for a tracked task to end. Exit 0 when it succeeded, 1 when it failed or timed out, 9 when --timeout-secs ran out first.',
  usage: 'gantry task wait --target <t> --id <id> [--timeout-secs N] [--outputs-dir <dir>] [--json]',
  options: { ...TASK_OPTIONS, 'timeout-secs': { type: 'string' } },
  async run(args, ctx) {
    const id = requireString(args, 'id', command);
    const timeoutSecs = wholeSeconds(args, 'timeout-secs', command);
    return withTasks(command, args, ctx, async (tasks) => {
      const status = await tasks.wait(id, { timeoutMs: timeoutSecs === undefined ? undefined : timeoutSecs * 1000, signal: ctx.signal });
      ctx.out(ctx.json ? JSON.stringify(status) : statusLine(status));
      return status.state === 'success' ? ExitCode.OK : ExitCode.FAILED;
    });
  },
};
export default command;
