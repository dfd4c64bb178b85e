import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** One CLI command. Modules are loaded lazily, so a command pays only for what it imports. */
export interface Command {
  /** Words after `gantry`, e.g. "run start". */
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** Positional arguments allowed (default: none). */
  positionals?: boolean;
  /** Returns the exit code. Throws GantryError for user-caused failures. */
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Everything after a bare `--`, untouched. */
  rest: string[];
}
