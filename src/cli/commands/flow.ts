import { createInterface } from 'node:readline/promises';
import { readFileSync } from 'node:fs';
import { requireInitialised } from '../../config/workspace.js';
import { PACKAGE_ROOT } from '../../config/package-root.js';
import type { EngineEvent } from '../../../contracts/events.js';
import { FlowOptions } from '../../../contracts/flow.js';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { renderHeader } from '../../flow/header.js';
import { runFlow } from '../../flow/run-flow.js';
import type { Confirm } from '../../flow/session.js';
import { choice, optionalString } from '../args.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import { CONNECT_OPTIONS } from '../remote.js';
import { reporter } from '../reporter.js';
import { terminalPrompter } from '../terminal-prompter.js';

const USAGE =
  'gantry flow [--provision auto|skip] [--sweep start|resume|skip] [--wait true|false] [--fetch none|all|run:<id>] [--teardown keep|delete] [--yes] [--accept-new-host-key] [--no-tty] [--json]';

/** Plain output: the header as `KEY=value` lines first, then the PHASE/COURT lines and the rest. */
export function flowReporter(ctx: Pick<CliContext, 'json' | 'out'>): (e: EngineEvent) => void {
  const plain = reporter(ctx.json, ctx.out);
  return (e) => {
    if (!ctx.json && e.type === 'run.started') return;
    if (!ctx.json && e.type === 'run.header') ctx.out(renderHeader(e.fields));
    else plain(e);
  };
}

/** A yes/no question at the terminal; only ever asked when one is attached. */
function terminalConfirm(ctx: CliContext): Confirm {
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal: ctx.signal })).trim());
    } finally {
      rl.close();
    }
  };
}

export const gantryVersion = () => (JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, 'utf8')) as { version: string }).version;

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
    const outcome = await runFlow({
      ws,
      env: ctx.env,
      cwd: ctx.cwd,
      options,
      interactive: ctx.tty,
      consent: args.values.yes === true || ctx.env.LIUM_YES === '1',
      confirm: terminalConfirm(ctx),
      signal: ctx.signal,
      version: gantryVersion(),
      listener: flowReporter(ctx),
      prompter: ctx.tty ? terminalPrompter() : undefined,
      acceptNewHostKey: args.values['accept-new-host-key'] === true,
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
