import { parseArgs } from 'node:util';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { Command, OptionSpec, ParsedArgs } from './command.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpec = {
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  'no-tty': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Parses argv for one command; `--key value` and `--key=value` both work (node's parseArgs). */
export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs {
  const dashdash = argv.indexOf('--');
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const rest = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  try {
    const { values, positionals } = parseArgs({
      args: own,
      options: { ...GLOBAL_OPTIONS, ...cmd.options },
      allowPositionals: cmd.positionals ?? false,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals, rest };
  } catch (e) {
    throw new GantryError(ExitCode.USAGE, (e as Error).message.replace(/\. To specify a positional.*$/s, ''), {
      where: `gantry ${cmd.name}`,
      hint: `usage: ${cmd.usage}`,
    });
  }
}

export function requireString(args: ParsedArgs, name: string, cmd: Command): string {
  const v = args.values[name];
  if (typeof v !== 'string' || v === '')
    throw new GantryError(ExitCode.USAGE, `missing --${name}`, { where: `gantry ${cmd.name}`, hint: `usage: ${cmd.usage}` });
  return v;
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A string option restricted to a set of values. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T, cmd: Command): T {
  const v = optionalString(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new GantryError(ExitCode.USAGE, `--${name} must be one of ${allowed.join('|')}, got "${v}"`, {
      where: `gantry ${cmd.name}`,
      hint: `usage: ${cmd.usage}`,
    });
  return v as T;
}

export function positiveNumber(args: ParsedArgs, name: string, cmd: Command): number | undefined {
  const v = optionalString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new GantryError(ExitCode.USAGE, `--${name} must be a positive number, got "${v}"`, {
      where: `gantry ${cmd.name}`,
      hint: `usage: ${cmd.usage}`,
    });
  return n;
}
