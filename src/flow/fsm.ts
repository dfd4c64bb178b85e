import { ExitCode, GantryError } from '../../contracts/errors.js';
import { FsmState, FsmStateName } from '../../contracts/flow.js';
import type { Executor } from '../exec/executor.js';
import { scriptOutput, writeRemoteFile } from './remote.js';

/**
 * The workflow FSM kept on the target (seed 000): INIT → POD_READY → BOOTSTRAPPED → CHECKED_OUT →
 * SWEEP_RUNNING → SWEEP_COMPLETED. A later flow may check out again or start another sweep once the
 * previous one completed; anything else is refused with the current and the allowed states.
 */
export const FSM_TRANSITIONS: Readonly<Record<FsmStateName, readonly FsmStateName[]>> = {
  INIT: ['POD_READY'],
  POD_READY: ['BOOTSTRAPPED'],
  BOOTSTRAPPED: ['CHECKED_OUT'],
  CHECKED_OUT: ['CHECKED_OUT', 'SWEEP_RUNNING'],
  SWEEP_RUNNING: ['SWEEP_COMPLETED'],
  SWEEP_COMPLETED: ['CHECKED_OUT', 'SWEEP_RUNNING'],
};

const ORDER = FsmStateName.options;

/** True when `state` is `min` or a later state of the lifecycle. */
export const atLeast = (state: FsmStateName, min: FsmStateName) => ORDER.indexOf(state) >= ORDER.indexOf(min);

export const fsmStateFile = (outputsDir: string) => `${outputsDir}/_control/workflow_state.json`;

/** A refused transition: names the current state and the states allowed from it. */
export class IllegalTransition extends GantryError {
  constructor(
    readonly from: FsmStateName,
    readonly to: FsmStateName,
    file: string,
  ) {
    super(ExitCode.FAILED, `illegal FSM transition ${from} -> ${to}: the target is in ${from}; allowed next: ${FSM_TRANSITIONS[from].join(', ') || 'none'}`, {
      where: file,
      hint: `inspect with \`gantry fsm status\`; \`gantry fsm reset <STATE>\` sets it by hand (${ORDER.join(', ')})`,
    });
  }
}

const READ = 'f=$(expand "$1"); if [ -f "$f" ]; then cat "$f"; else echo NONE; fi';

export async function readFsm(exec: Executor, outputsDir: string): Promise<FsmState> {
  const file = fsmStateFile(outputsDir);
  const text = (await scriptOutput(exec, READ, [file], 'reading the FSM state')).trim();
  if (text === 'NONE') return { state: 'INIT', previous: null, flow_id: null, reason: 'no state file yet', updated_at: new Date(0).toISOString() };
  try {
    return FsmState.parse(JSON.parse(text));
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `the FSM state file is not valid: ${(e as Error).message}`, {
      where: `${exec.target}:${file}`,
      hint: 'set a state with `gantry fsm reset <STATE>`',
    });
  }
}

async function writeFsm(exec: Executor, outputsDir: string, state: FsmState): Promise<void> {
  await writeRemoteFile(exec, fsmStateFile(outputsDir), JSON.stringify(state), 'writing the FSM state');
}

/** Moves the FSM to `to` when that is legal from the current state; throws naming both otherwise. */
export async function transition(
  exec: Executor,
  outputsDir: string,
  to: FsmStateName,
  flowId: string,
  reason: string,
): Promise<{ from: FsmStateName; to: FsmStateName; legal: boolean }> {
  const current = await readFsm(exec, outputsDir);
  // Asked again after the connection dropped under the write: this flow already made this transition.
  if (current.state === to && current.flow_id === flowId && current.previous && FSM_TRANSITIONS[current.previous].includes(to))
    return { from: current.previous, to, legal: true };
  if (!FSM_TRANSITIONS[current.state].includes(to)) throw new IllegalTransition(current.state, to, `${exec.target}:${fsmStateFile(outputsDir)}`);
  await writeFsm(exec, outputsDir, { state: to, previous: current.state, flow_id: flowId, reason, updated_at: new Date().toISOString() });
  return { from: current.state, to, legal: true };
}

/** `gantry fsm reset <STATE>`: any state, by hand; the previous one is kept in the file. */
export async function resetFsm(exec: Executor, outputsDir: string, to: FsmStateName, reason: string): Promise<FsmState> {
  const current = await readFsm(exec, outputsDir);
  const next: FsmState = { state: to, previous: current.state, flow_id: null, reason, updated_at: new Date().toISOString() };
  await writeFsm(exec, outputsDir, next);
  return next;
}
