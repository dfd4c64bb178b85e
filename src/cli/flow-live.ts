import { createInterface } from 'node:readline/promises';
import type { EngineEvent } from '../../contracts/events.js';
import { renderHeader } from '../flow/header.js';
import { runFlow, type FlowOutcome, type FlowRequest } from '../flow/run-flow.js';
import type { Confirm } from '../flow/session.js';
import type { CliContext } from './context.js';
import { reporter } from './reporter.js';
import { terminalPrompter } from './terminal-prompter.js';

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

type LiveRequest = Omit<FlowRequest, 'listener' | 'signal' | 'confirm' | 'prompter'>;

/**
 * Runs a flow where a person can see it: in a terminal the cockpit shows it live and owns stdin (its
 * prompts replace readline's); otherwise plain lines or NDJSON report it.
 */
export async function runFlowLive(ctx: CliContext, req: LiveRequest): Promise<FlowOutcome> {
  const cockpit = ctx.tty && !ctx.json ? await (await import('./console.js')).openCockpit({ ctx, fallback: flowReporter(ctx) }) : undefined;
  try {
    const outcome = await runFlow({
      ...req,
      signal: cockpit?.signal ?? ctx.signal,
      listener: cockpit?.listener ?? flowReporter(ctx),
      confirm: cockpit ? cockpit.confirm : terminalConfirm(ctx),
      prompter: cockpit
        ? {
            confirmHostKey: (q) => cockpit.confirm(`Trust ${q.keyType} key ${q.fingerprint} of ${q.name}?`),
            passphrase: (key) => cockpit.secret(`passphrase for ${key}:`),
          }
        : ctx.tty
          ? terminalPrompter()
          : undefined,
    });
    await cockpit?.untilLeft();
    return outcome;
  } finally {
    await cockpit?.close();
  }
}
