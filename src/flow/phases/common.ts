import type { FsmStateName } from '../../../contracts/flow.js';
import { IllegalTransition, transition } from '../fsm.js';
import { envOf, execOf, PhaseFailure, type FlowSession, type PhaseOutcome } from '../session.js';

/** Appends to logs/steps/<step>.log (redacted). */
export function stepLog(s: FlowSession, step: string): (line: string) => void {
  return (line) => s.writer.appendLog(`steps/${step}.log`, line + '\n');
}

/** Runs an FSM transition; a refused one becomes the phase's own failure, keeping the FSM fact for the court. */
export async function move(s: FlowSession, to: FsmStateName, code: number, command: string, reason: string): Promise<PhaseOutcome['fsm']> {
  try {
    return await transition(execOf(s), envOf(s).OPS_REMOTE_OUTPUTS_DIR, to, s.start.flow_id, reason);
  } catch (e) {
    if (e instanceof IllegalTransition) throw new PhaseFailure(code, `${e.message} — ${e.hint ?? ''}`, command, {}, 'fatal', { from: e.from, to: e.to, legal: false });
    throw e;
  }
}
