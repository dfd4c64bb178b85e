import { loadWorkflow, loadGateContract } from '../../config/definitions.js';
import { requireInitialised } from '../../config/workspace.js';
import { finishGate } from '../../engine/gate-ops.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';
import { answerGate } from '../gate-answer.js';
import { withRunWriter } from '../runs.js';

const command: Command = {
  name: 'gate finish',
  summary: 'Finish a gate: run its contract validations, hash outputs, record PASS (exit 0) or FAIL (exit 1).',
  usage: 'gantry gate finish --run <id> --gate <G>',
  options: { run: { type: 'string' }, gate: { type: 'string' } },
  async run(args, ctx) {
    const runId = requireString(args, 'run', command);
    const gate = requireString(args, 'gate', command);
    const ws = requireInitialised(ctx.workspace());
    return answerGate(ctx, runId, gate, 'finish', null, () =>
      withRunWriter(ctx, runId, `gate finish ${gate}`, (w) => {
        const step = loadWorkflow(ws, w.record!.workflow.name).steps.find((s) => s.id === gate);
        const contract = step?.contract
          ? loadGateContract(ws, step.contract).contract
          : { gate, name: step?.name ?? gate, required_outputs: [], validations: [] };
        return finishGate(w, gate, contract, ws.projectRoot);
      }),
    );
  },
};
export default command;
