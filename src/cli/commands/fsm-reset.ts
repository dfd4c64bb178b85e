import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { FsmStateName } from '../../../contracts/flow.js';
import { fsmStateFile, resetFsm } from '../../flow/fsm.js';
import type { Command } from '../command.js';
import { CONNECT_OPTIONS } from '../remote.js';
import { withFlowTarget } from './fsm-status.js';

const command: Command = {
  name: 'fsm reset',
  summary: "Set the workflow FSM on the flow's target to a state by hand (the previous state is kept in the file).",
  usage: `gantry fsm reset <${FsmStateName.options.join('|')}> [--target <t>] [--accept-new-host-key] [--json]`,
  options: { target: { type: 'string' }, ...CONNECT_OPTIONS },
  positionals: true,
  async run(args, ctx) {
    const [wanted, ...extra] = args.positionals;
    const parsed = FsmStateName.safeParse(wanted ?? 'INIT');
    if (!parsed.success || extra.length)
      throw new GantryError(ExitCode.USAGE, `name one state: ${FsmStateName.options.join(', ')}`, { hint: `usage: ${command.usage}` });
    const { state, env, target } = await withFlowTarget(args, ctx, async (ex, env, target) => ({
      state: await resetFsm(ex, env.OPS_REMOTE_OUTPUTS_DIR, parsed.data, 'gantry fsm reset'),
      env,
      target,
    }));
    if (ctx.json) ctx.out(JSON.stringify({ target, file: fsmStateFile(env.OPS_REMOTE_OUTPUTS_DIR), ...state }));
    else ctx.out(`FSM_STATE=${state.state} (was ${state.previous}) on ${target}`);
    return ExitCode.OK;
  },
};
export default command;
