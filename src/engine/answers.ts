import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { takeAnswer, type AnswerRequest } from '../records/inbox.js';
import type { RunPaths } from '../records/run-paths.js';

export interface GateQuestion {
  runId: string;
  gate: string;
  name: string;
  attempt: number;
  packetPath: string;
  packet: string;
  /** Commands that answer this gate from another shell. */
  answerWith: string[];
}

export type GateAnswer = { action: 'finish'; by: string } | { action: 'fail'; reason: string; by: string };

/** Who answers a gate (DESIGN §5): the console, consent given up front, or another shell. */
export interface GateAnswerer {
  readonly agent: string;
  answer(q: GateQuestion, signal: AbortSignal): Promise<GateAnswer>;
}

/** `--yes`: consent given up front; every gate goes straight to its validations. */
export const consentAnswerer: GateAnswerer = {
  agent: 'consent',
  answer: async () => ({ action: 'finish', by: 'consent (--yes)' }),
};

/** Strict non-TTY without consent: a gate that would prompt is a policy violation, at once. */
export const refusingAnswerer: GateAnswerer = {
  agent: 'none',
  answer: async (q) => {
    throw new GantryError(ExitCode.POLICY, `gate ${q.gate} needs an answer, and no terminal is attached (non-TTY mode)`, {
      hint: 'pass --yes to consent up front, or --approvals external and answer with `gantry gate finish|fail` from another shell',
    });
  },
};

const toAnswer = (r: AnswerRequest): GateAnswer =>
  r.action === 'finish' ? { action: 'finish', by: r.by } : { action: 'fail', reason: r.reason ?? 'failed by operator', by: r.by };

/** `--approvals external`: waits for `gantry gate finish|fail` from any shell, bounded by a timeout. */
export function externalAnswerer(paths: RunPaths, timeoutSecs: number | undefined, pollMs = 150): GateAnswerer {
  return {
    agent: 'external',
    answer: async (q, signal) => {
      const deadline = timeoutSecs === undefined ? Infinity : Date.now() + timeoutSecs * 1000;
      for (;;) {
        const r = takeAnswer(paths, q.gate, q.attempt);
        if (r) return toAnswer(r);
        if (Date.now() >= deadline)
          return { action: 'fail', reason: `approval timed out after ${timeoutSecs}s`, by: 'timeout' };
        await sleep(pollMs, undefined, { signal });
      }
    },
  };
}

/** Races an interactive answerer against external answers, so a console user and another shell can both answer. */
export function eitherAnswerer(primary: GateAnswerer, paths: RunPaths): GateAnswerer {
  const external = externalAnswerer(paths, undefined);
  return {
    agent: primary.agent,
    answer: async (q, signal) => {
      const inner = new AbortController();
      const onAbort = () => inner.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        return await Promise.race([primary.answer(q, inner.signal), external.answer(q, inner.signal)]);
      } finally {
        signal.removeEventListener('abort', onAbort);
        inner.abort();
      }
    },
  };
}
