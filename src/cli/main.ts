#!/usr/bin/env node
import { gantryVersion } from '../config/package-root.js';
import { ExitCode, GantryError, isGantryError } from '../../contracts/errors.js';
import { parseCommandArgs } from './args.js';
import { COMMANDS, lookup } from './commands/index.js';
import { makeContext } from './context.js';

function help(): string {
  return [
    'gantry — a run cockpit for gated experiment workflows',
    '',
    'usage: gantry <command> [options]      (gantry <command> --help for its options)',
    '',
    ...Object.keys(COMMANDS).map((c) => `  gantry ${c}`),
    '  gantry run <workflow> ...            run a whole workflow pipeline',
    '',
    'global options: --workspace DIR  --json  --no-tty',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    process.stdout.write(gantryVersion() + '\n');
    return ExitCode.OK;
  }
  if (argv.length === 0 && process.stdout.isTTY && process.stdin.isTTY) {
    // `gantry` alone in a terminal opens the runs screen.
    const { runsConsole } = await import('./console.js');
    return runsConsole(makeContext({ workspaceFlag: undefined, noTty: false, json: false, signal: interruptSignal() }));
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(help() + '\n');
    return ExitCode.OK;
  }
  const found = lookup(argv);
  if (!found)
    throw new GantryError(ExitCode.USAGE, `unknown command "${argv.slice(0, 2).join(' ')}"`, { hint: 'run `gantry --help` for the list' });
  const cmd = (await found.load()).default;
  const args = parseCommandArgs(cmd, found.rest);
  if (args.values.help) {
    process.stdout.write(`${cmd.summary}\n\nusage: ${cmd.usage}\n`);
    return ExitCode.OK;
  }
  const ctx = makeContext({
    workspaceFlag: typeof args.values.workspace === 'string' ? args.values.workspace : undefined,
    noTty: args.values['no-tty'] === true,
    json: args.values.json === true,
    signal: interruptSignal(),
  });
  return cmd.run(args, ctx);
}

/** Aborted on SIGINT/SIGTERM, so long-running commands end cleanly. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => controller.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return controller.signal;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isGantryError(e)) {
      process.stderr.write(e.render() + '\n');
      process.exitCode = e.code;
    } else {
      const err = e as Error;
      process.stderr.write(`gantry: internal error: ${err?.message ?? String(e)}\n  please report this; set GANTRY_DEBUG=1 for the stack\n`);
      if (process.env.GANTRY_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
      process.exitCode = ExitCode.INTERNAL;
    }
  },
);
