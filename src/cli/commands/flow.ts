import { requireInitialised } from '../../config/workspace.js';
import { gantryVersion } from '../../config/package-root.js';
import { FlowOptions } from '../../../contracts/flow.js';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { choice, optionalString } from '../args.js';
import type { Command } from '../command.js';
import { runFlowLive } from '../flow-live.js';
import { CONNECT_OPTIONS } from '../remote.js';

const USAGE =
  'gantry flow [--provision auto|skip] [--sweep start|resume|skip] [--wait true|false] [--fetch none|all|run:<id>] [--teardown keep|delete] [--on-cancel keep|kill] [--yes] [--accept-new-host-key] [--no-tty] [--json]';

const command: Command = {
  name: 'flow',
  summary: 'Run the constitutional remote-experiment flow P00..P99 (provision, bind, ready, bootstrap, checkout, sweep, monitor, fetch, teardown, summary).',
  usage: USAGE,
  options: {
    provision: { type: 'string' },
    sweep: { type: 'string' },
    wait: { type: 'string' },
    fetch: { type: 'string' },
    teardown: { type: 'string' },
    'on-cancel': { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    ...CONNECT_OPTIONS,
  },
  async run(args, ctx) {
    const options = {
      provision: choice(args, 'provision', ['auto', 'skip'] as const, 'auto', command),
      sweep: choice(args, 'sweep', ['start', 'resume', 'skip'] as const, 'start', command),
      wait: choice(args, 'wait', ['true', 'false'] as const, 'false', command),
      fetch: optionalString(args, 'fetch') ?? 'none',
      teardown: optionalString(args, 'teardown') === undefined ? undefined : choice(args, 'teardown', ['keep', 'delete'] as const, 'keep', command),
    };
    if (!FlowOptions.shape.fetch.safeParse(options.fetch).success)
      throw new GantryError(ExitCode.USAGE, `--fetch must be none, all or run:<id>, got "${options.fetch}"`, { hint: `usage: ${USAGE}` });
    const ws = requireInitialised(ctx.workspace());
    const outcome = await runFlowLive(ctx, {
      ws,
      env: ctx.env,
      cwd: ctx.cwd,
      options,
      interactive: ctx.tty,
      consent: args.values.yes === true || ctx.env.LIUM_YES === '1',
      version: gantryVersion(),
      acceptNewHostKey: args.values['accept-new-host-key'] === true,
      onCancel: choice(args, 'on-cancel', ['keep', 'kill'] as const, 'keep', command),
    });
    const s = outcome.summary;
    if (ctx.json) ctx.out(JSON.stringify({ type: 'flow.summary', ...s }));
    else {
      const failed = s.first_failing_phase ? ` FIRST_FAILING_PHASE=${s.first_failing_phase} CODE=${s.first_failing_code}` : '';
      ctx.out(`FLOW=${s.flow_id} STATUS=${s.status}${failed} SUMMARY=${ws.runsDir}/${outcome.runId}/record/flow.summary.json`);
      if (s.reason && s.status !== 'passed') ctx.err(`gantry: flow ${s.status}: ${s.reason}`);
    }
    return outcome.exitCode;
  },
};
export default command;
