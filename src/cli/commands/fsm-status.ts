import { ExitCode } from '../../../contracts/errors.js';
import type { WorkflowEnv } from '../../../contracts/flow.js';
import { requireInitialised } from '../../config/workspace.js';
import type { Executor } from '../../exec/executor.js';
import { FSM_TRANSITIONS, fsmStateFile, readFsm } from '../../flow/fsm.js';
import { flowTarget, loadFlowConfig } from '../../flow/flow-target.js';
import { optionalString } from '../args.js';
import type { Command, ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { CONNECT_OPTIONS, withExecutor } from '../remote.js';

/** For the flow's support commands: the checked config, the flow's target (or --target) and an executor on it. */
export async function withFlowTarget<T>(args: ParsedArgs, ctx: CliContext, use: (ex: Executor, env: WorkflowEnv, target: string) => Promise<T>): Promise<T> {
  const ws = requireInitialised(ctx.workspace());
  const { env } = loadFlowConfig(ws, ctx.env, ctx.cwd);
  const target = flowTarget(ws, env, optionalString(args, 'target'));
  return withExecutor(target, args, ctx, (ex) => use(ex, env, target));
}

const command: Command = {
  name: 'fsm status',
  summary: "Show the workflow FSM state kept on the flow's target and the states allowed next.",
  usage: 'gantry fsm status [--target <t>] [--accept-new-host-key] [--json]',
  options: { target: { type: 'string' }, ...CONNECT_OPTIONS },
  async run(args, ctx) {
    const { state, env, target } = await withFlowTarget(args, ctx, async (ex, env, target) => ({ state: await readFsm(ex, env.OPS_REMOTE_OUTPUTS_DIR), env, target }));
    const file = fsmStateFile(env.OPS_REMOTE_OUTPUTS_DIR);
    const allowed = FSM_TRANSITIONS[state.state];
    if (ctx.json) ctx.out(JSON.stringify({ target, file, ...state, allowed_next: allowed }));
    else {
      ctx.out(`FSM_STATE=${state.state}`);
      ctx.out(`  target:       ${target}`);
      ctx.out(`  file:         ${file}`);
      ctx.out(`  previous:     ${state.previous ?? '-'}`);
      ctx.out(`  by flow:      ${state.flow_id ?? '-'} (${state.reason})`);
      ctx.out(`  updated:      ${state.updated_at}`);
      ctx.out(`  allowed next: ${allowed.join(', ')}`);
    }
    return ExitCode.OK;
  },
};
export default command;
