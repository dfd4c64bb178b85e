import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { RunStatus } from '../../../contracts/common.js';
import { choice, requireString } from '../args.js';
import type { Command } from '../command.js';
import { withRunWriter } from '../runs.js';

const command: Command = {
  name: 'run complete',
  summary: 'Mark a run complete (PASSED by default).',
  usage: 'gantry run complete --run <id> [--status PASSED|FAILED|CANCELED]',
  options: { run: { type: 'string' }, status: { type: 'string' } },
  async run(args, ctx) {
    const runId = requireString(args, 'run', command);
    const status = choice(args, 'status', ['PASSED', 'FAILED', 'CANCELED'] as const satisfies readonly RunStatus[], 'PASSED', command);
    await withRunWriter(ctx, runId, 'run complete', (w) => {
      const rec = w.record!;
      if (rec.status !== 'RUNNING')
        throw new GantryError(ExitCode.USAGE, `run ${runId} is already ${rec.status}`, { hint: 'a finished run stays finished; start a new run' });
      w.append({ type: 'run.finished', status, reason: 'completed by operator' });
    });
    ctx.out(ctx.json ? JSON.stringify({ run_id: runId, status }) : `run ${runId} ${status}`);
    return ExitCode.OK;
  },
};
export default command;
