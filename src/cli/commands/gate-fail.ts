import { failGate } from '../../engine/gate-ops.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { answerGate } from '../gate-answer.js';
import { withRunWriter } from '../runs.js';

const command: Command = {
  name: 'gate fail',
  summary: 'Fail a gate by hand, with a reason (recorded in the attempt).',
  usage: 'gantry gate fail --run <id> --gate <G> --reason "<text>"',
  options: { run: { type: 'string' }, gate: { type: 'string' }, reason: { type: 'string' } },
  async run(args, ctx) {
    const runId = requireString(args, 'run', command);
    const gate = requireString(args, 'gate', command);
    const reason = requireString(args, 'reason', command);
    return answerGate(ctx, runId, gate, 'fail', reason, () =>
      withRunWriter(ctx, runId, `gate fail ${gate}`, async (w) => failGate(w, gate, reason)),
    );
  },
};
export default command;
