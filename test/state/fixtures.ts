import type { EngineEvent, EventInput } from '../../contracts/events.js';

/** Builds a run's event stream the way the record writer numbers it. */
export function eventStream(runId = 'run_20250101T000000Z_demo_abcdef') {
  let seq = 0;
  const t0 = Date.parse('2025-01-01T00:00:00.000Z');
  return (input: EventInput, atMs = seq * 1000): EngineEvent =>
    ({ ...input, seq: ++seq, ts: new Date(t0 + atMs).toISOString(), run_id: runId }) as EngineEvent;
}

export const PHASES = [
  { id: 'P00', name: 'PRECHECK', kind: 'precheck' },
  { id: 'P20', name: 'TARGET_BIND', kind: 'bind_target' },
  { id: 'P60', name: 'SWEEP', kind: 'sweep' },
  { id: 'P99', name: 'SUMMARY', kind: 'summary' },
];

export const GATES = [
  { id: 'G1', name: 'Intake Approval', kind: 'approval' },
  { id: 'G2', name: 'Research Complete', kind: 'gate' },
];

export function runStarted(steps = PHASES, params: Record<string, string> = {}): EventInput {
  return {
    type: 'run.started',
    workflow: { name: 'remote-experiment', version: '1', slug: 'demo', artifact_path: 'out' },
    depth: 'standard',
    steps,
    params,
    pid: 1,
    host: 'here',
  };
}

export const stepStarted = (step: string, name = step, kind = 'command'): EventInput => ({ type: 'step.started', step, name, kind });
export const stepFinished = (step: string, status: 'ok' | 'fail' | 'skip', code = 0, message: string | null = null): EventInput => ({
  type: 'step.finished',
  step,
  status,
  code,
  artifact: null,
  duration_ms: 1500,
  message,
});
