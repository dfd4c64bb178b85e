import type { Command } from '../command.js';

type Loader = () => Promise<{ default: Command }>;

/**
 * Every command, by the words that name it. Modules load on demand so `gantry --version` and other
 * headless commands never pay for Ink, React or ssh2.
 */
export const COMMANDS: Record<string, Loader> = {
  init: () => import('./init.js'),
  doctor: () => import('./doctor.js'),
  schema: () => import('./schema.js'),
  'run start': () => import('./run-start.js'),
  'run list': () => import('./run-list.js'),
  'run show': () => import('./run-show.js'),
  'run complete': () => import('./run-complete.js'),
  'gate start': () => import('./gate-start.js'),
  'gate finish': () => import('./gate-finish.js'),
  'gate fail': () => import('./gate-fail.js'),
  'invocation record': () => import('./invocation-record.js'),
  'target check': () => import('./target-check.js'),
  'task run': () => import('./task-run.js'),
  'task status': () => import('./task-status.js'),
  'task wait': () => import('./task-wait.js'),
  'task list': () => import('./task-list.js'),
  'task logs': () => import('./task-logs.js'),
  'task kill': () => import('./task-kill.js'),
};

/** `gantry run <workflow> ...` runs a whole pipeline when <workflow> is not a `run` subcommand. */
export const RUN_PIPELINE: Loader = () => import('./run-pipeline.js');

/** Finds the longest command name that prefixes argv; returns it and the remaining args. */
export function lookup(argv: string[]): { name: string; load: Loader; rest: string[] } | undefined {
  for (let n = Math.min(3, argv.length); n >= 1; n--) {
    const name = argv.slice(0, n).join(' ');
    if (Object.hasOwn(COMMANDS, name)) return { name, load: COMMANDS[name]!, rest: argv.slice(n) };
  }
  if (argv[0] === 'run' && argv[1] && !argv[1].startsWith('-')) return { name: 'run <workflow>', load: RUN_PIPELINE, rest: argv.slice(1) };
  return undefined;
}
