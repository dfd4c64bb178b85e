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

/** Builds the answerer once the run exists. `interactive` (the cockpit's packet screen) replaces the terminal prompt. */
export type AnswererFor = (paths: RunPaths, interactive?: GateAnswerer) => GateAnswerer;

/**
 * Who answers gates, from flags and the terminal: consent, external, the terminal, or nobody (policy).
 * The flags are checked here, before any run is created, so a bad flag leaves no record behind.
 */
export function answerPlan(args: ParsedArgs, ctx: CliContext, cmd: Command): AnswererFor {
  const mode = choice(args, 'approvals', ['console', 'external'] as const, 'console', cmd);
  const timeout = positiveNumber(args, 'approval-timeout', cmd);
  const consent = args.values.yes === true || ctx.env.LIUM_YES === '1' || ctx.env.GANTRY_YES === '1';
  if (consent && mode === 'external')
    throw new GantryError(ExitCode.USAGE, '--yes and --approvals external contradict each other', { hint: 'choose one' });
  if (consent) return () => consentAnswerer;
  if (mode === 'external') return (paths) => externalAnswerer(paths, timeout);
  if (ctx.tty) return (paths, interactive) => eitherAnswerer(interactive ?? terminalAnswerer(ctx.out), paths);
  return () => refusingAnswerer;
}
