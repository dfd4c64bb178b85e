import { ExitCode } from '../../../contracts/errors.js';
import { startGate } from '../../engine/gate-ops.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { withRunWriter } from '../runs.js';

const command: Command = {
  name: 'gate start',
  summary: 'Start a new attempt of a gate.',
  usage: 'gantry gate start --run <id> --gate <G> --agent <name>',
  options: { run: { type: 'string' }, gate: { type: 'string' }, agent: { type: 'string' } },
  async run(args, ctx) {
    const runId = requireString(args, 'run', command);
    const gate = requireString(args, 'gate', command);
    const agent = requireString(args, 'agent', command);
    const attempt = await withRunWriter(ctx, runId, `gate start ${gate}`, (w) => startGate(w, gate, agent));
    ctx.out(ctx.json ? JSON.stringify({ run_id: runId, gate, attempt, agent }) : `[${gate}] attempt ${attempt} started (agent ${agent})`);
    return ExitCode.OK;
  },
};
export default command;
