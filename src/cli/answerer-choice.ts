import { ExitCode, GantryError } from '../../contracts/errors.js';
import { consentAnswerer, eitherAnswerer, externalAnswerer, refusingAnswerer, type GateAnswerer } from '../engine/answers.js';
import type { RunPaths } from '../records/run-paths.js';
import { choice, positiveNumber } from './args.js';
import type { Command, OptionSpec, ParsedArgs } from './command.js';
import type { CliContext } from './context.js';
import { terminalAnswerer } from './terminal-answerer.js';

export const ANSWER_OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  approvals: { type: 'string' },
  'approval-timeout': { type: 'string' },
} as const satisfies OptionSpec;

/**
 * Who answers gates, from flags and the terminal: consent, external, the terminal, or nobody (policy).
 * `interactive` replaces the terminal prompt when a console is open (the cockpit's packet screen).
 */
export function chooseAnswerer(args: ParsedArgs, ctx: CliContext, cmd: Command, paths: RunPaths, interactive?: GateAnswerer): GateAnswerer {
  const mode = choice(args, 'approvals', ['console', 'external'] as const, 'console', cmd);
  const timeout = positiveNumber(args, 'approval-timeout', cmd);
  const consent = args.values.yes === true || ctx.env.LIUM_YES === '1' || ctx.env.GANTRY_YES === '1';
  if (consent && mode === 'external')
    throw new GantryError(ExitCode.USAGE, '--yes and --approvals external contradict each other', { hint: 'choose one' });
  if (consent) return consentAnswerer;
  if (mode === 'external') return externalAnswerer(paths, timeout);
  if (ctx.tty) return eitherAnswerer(interactive ?? terminalAnswerer(ctx.out), paths);
  return refusingAnswerer;
}
