import { ExitCode } from '../../../contracts/errors.js';
import { recordInvocation } from '../../engine/gate-ops.js';
import { choice, requireString } from '../args.js';
import type { Command } from '../command.js';
import { withRunWriter } from '../runs.js';

const command: Command = {
  name: 'invocation record',
  summary: 'Record an agent invocation against a gate.',
  usage: 'gantry invocation record --run <id> --gate <G> --agent <name> [--status SUCCESS|FAIL]',
  options: { run: { type: 'string' }, gate: { type: 'string' }, agent: { type: 'string' }, status: { type: 'string' } },
  async run(args, ctx) {
    const runId = requireString(args, 'run', command);
    const gate = requireString(args, 'gate', command);
    const agent = requireString(args, 'agent', command);
    const status = choice(args, 'status', ['SUCCESS', 'FAIL'] as const, 'SUCCESS', command);
    const id = await withRunWriter(ctx, runId, `invocation record ${gate}`, (w) => recordInvocation(w, gate, agent, status));
    ctx.out(ctx.json ? JSON.stringify({ invocation_id: id, run_id: runId, gate, agent, status }) : id);
    return ExitCode.OK;
  },
};
export default command;
