import type { FsmStateName } from '../../../contracts/flow.js';
import { backoffDelay } from '../../exec/backoff.js';
import { isTransportError } from '../../exec/errors.js';
import { IllegalTransition, transition } from '../fsm.js';
import { envOf, execOf, PhaseFailure, type FlowSession, type PhaseOutcome } from '../session.js';

/** Dropped connections in a row that one remote operation survives. */
const MAX_CONSECUTIVE_DROPS = 8;

/** Waits `ms`, or less when the flow is canceled. */
export const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const t = setTimeout(finish, ms);
    function finish() {
      clearTimeout(t);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish, { once: true });
  });

/**
 * Runs a remote operation that may safely run again (a read, an atomic write, an upload, the FSM
 * transition) and runs it again when the connection dropped under it: a correctable error, recorded
 * against the running phase, retried with backoff while the transport reconnects. What must never run
 * twice — starting a row — recovers its own way (sweep/launch.ts).
 */
export async function repeatable<T>(s: FlowSession, what: string, op: () => Promise<T>): Promise<T> {
  for (let drops = 1; ; drops++) {
    try {
      return await op();
    } catch (e) {
      if (s.signal.aborted || !isTransportError(e) || e.connectFailed || drops >= MAX_CONSECUTIVE_DROPS) throw e;
      const step = s.writer.record?.phases.find((p) => p.status === 'running')?.step ?? null;
      s.writer.append({ type: 'error.recorded', tier: 'correctable', step, message: `${what}: ${e.message} (retry ${drops})` });
      await pause(backoffDelay(drops), s.signal);
    }
  }
}

/** Appends to logs/steps/<step>.log (redacted). */
export function stepLog(s: FlowSession, step: string): (line: string) => void {
  return (line) => s.writer.appendLog(`steps/${step}.log`, line + '\n');
}

/** Runs an FSM transition; a refused one becomes the phase's own failure, keeping the FSM fact for the court. */
export async function move(s: FlowSession, to: FsmStateName, code: number, command: string, reason: string): Promise<PhaseOutcome['fsm']> {
  try {
    return await repeatable(s, `moving the FSM to ${to}`, () => transition(execOf(s), envOf(s).OPS_REMOTE_OUTPUTS_DIR, to, s.start.flow_id, reason));
  } catch (e) {
    if (e instanceof IllegalTransition) throw new PhaseFailure(code, `${e.message} — ${e.hint ?? ''}`, command, {}, 'fatal', { from: e.from, to: e.to, legal: false });
    throw e;
  }
}
