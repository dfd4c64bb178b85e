import { createConsoleStore, type AttachMode } from '../../state/store.js';
import { eventStream, PHASES, runStarted, stepFinished, stepStarted } from '../state/fixtures.js';
import { feed } from './harness.js';

/** A flow run with a passed phase, a failed one under the court, and a sweep phase running with a hostile log line. */
export function flowRun(mode: AttachMode = 'owned', colour = true) {
  const store = createConsoleStore({ colour });
  store.getState().attach(mode, ['cockpit']);
  const ev = eventStream();
  feed(store, [
    ev(runStarted(PHASES, { config_path: 'gantry/workflow.env', config_sha256: 'abcdef0123456789abcdef' })),
    ev({ type: 'run.header', fields: { target: 'gpu-7:22', target_source: 'autobind', transport: 'ssh', flow_id: 'flow_42' } }),
    ev(stepStarted('P00', 'PRECHECK')),
    ev(stepFinished('P00', 'ok')),
    ev({ type: 'court.verdict', step: 'P00', det: 'pass', const: 'pass', verdict: 'pass', violated_laws: [], verdict_file: 'v', next_command: null }),
    ev(stepStarted('P20', 'TARGET_BIND')),
    ev(stepFinished('P20', 'fail', 203, 'target unreachable')),
    ev({ type: 'court.verdict', step: 'P20', det: 'fail', const: 'unverified', verdict: 'fail', violated_laws: ['LAW_2'], verdict_file: 'v', next_command: 'gantry flow --provision skip' }),
    ev(stepStarted('P60', 'SWEEP')),
  ], { 'steps/P60': ['row r1 launched', '\x1b]0;pwned\x07step 1/5 \x1b[32mloss=1.9\x1b[0m\x1b[2J'], 'steps/P20': ['ssh: connect to host gpu-7 port 22: Connection refused'] });
  return { store, ev };
}

