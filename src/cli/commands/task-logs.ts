import { ExitCode } from '../../../contracts/errors.js';
import { LineSplitter } from '../../exec/lines.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { statusLine, TASK_OPTIONS, wholeSeconds, withTasks } from '../remote.js';

const command: Command = {
  name: 'task logs',
  summary:
    "Print a tracked task's combined output from a byte offset; --follow keeps tailing (resuming at its offset across reconnects) until the task ends.",
  usage: 'gantry task logs --target <t> --id <id> [--follow] [--since-offset N] [--outputs-dir <dir>] [--json]',
  options: { ...TASK_OPTIONS, follow: { type: 'boolean' }, 'since-offset': { type: 'string' } },
  async run(args, ctx) {
    const id = requireString(args, 'id', command);
    const since = wholeSeconds(args, 'since-offset', command, true) ?? 0;
    return withTasks(command, args, ctx, async (tasks) => {
      // --json: one object per chunk, with the offsets to resume from; otherwise the text itself.
      const lines = new LineSplitter((l) => ctx.out(l));
      const emit = (data: Buffer, offset: number, nextOffset: number) =>
        ctx.json ? ctx.out(JSON.stringify({ task_id: id, offset, next_offset: nextOffset, text: data.toString('utf8') })) : lines.push(data);
      let offset = since;
      if (args.values.follow) {
        const status = await tasks.followLog(id, {
          offset,
          signal: ctx.signal,
          onData: (data, next) => {
            emit(data, next - data.length, next);
            offset = next;
          },
        });
        lines.end();
        if (!ctx.json) ctx.err(`gantry: ${statusLine(status)}; log ends at offset ${offset}`);
        return ExitCode.OK;
      }
      for (;;) {
        const chunk = await tasks.readLog(id, offset);
        if (chunk.data.length > 0) emit(chunk.data, chunk.offset, chunk.nextOffset);
        offset = chunk.nextOffset;
        if (offset >= chunk.size) break;
      }
      lines.end();
      if (!ctx.json) ctx.err(`gantry: next offset ${offset} (resume with --since-offset ${offset})`);
      return ExitCode.OK;
    });
  },
};
export default command;
