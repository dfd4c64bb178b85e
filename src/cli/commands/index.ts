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
  watch: () => import('./watch.js'),
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
  preflight: () => import('./preflight.js'),
  'official-run': () => import('./official-run.js'),
  monitor: () => import('./monitor.js'),
  finalize: () => import('./finalize.js'),
  'sync-finalize': () => import('./sync-finalize.js'),
  'audit check': () => import('./audit-check.js'),
  'audit remediate': () => import('./audit-remediate.js'),
  review: () => import('./review.js'),
  'registry update': () => import('./registry-update.js'),
  'queue refresh': () => import('./queue-refresh.js'),
  'workitem check': () => import('./workitem-check.js'),
  'workitem worktree': () => import('./workitem-worktree.js'),
  'gates list': () => import('./gates-list.js'),
  'gates run': () => import('./gates-run.js'),
  'scope check': () => import('./scope-check.js'),
  'perf delta': () => import('./perf-delta.js'),
  attest: () => import('./attest.js'),
  'merge-order': () => import('./merge-order.js'),
  'lint public-safety': () => import('./lint-public-safety.js'),
  flow: () => import('./flow.js'),
  demo: () => import('./demo.js'),
  'fsm status': () => import('./fsm-status.js'),
  'fsm reset': () => import('./fsm-reset.js'),
  'checklist status': () => import('./checklist-status.js'),
  'checklist reset': () => import('./checklist-reset.js'),
  'sweep template': () => import('./sweep-template.js'),
  'sweep status': () => import('./sweep-status.js'),
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
