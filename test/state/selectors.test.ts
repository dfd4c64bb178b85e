import { describe, expect, it } from 'vitest';
import { filteredRuns, formatDuration, headerFields, leavingStrandsGate, pipelineItems, verdictView, waitingGate } from '../../state/selectors.js';
import { createConsoleStore } from '../../state/store.js';
import { eventStream, GATES, runStarted, stepFinished, stepStarted } from './fixtures.js';

function storeWith(events: ReturnType<ReturnType<typeof eventStream>>[], mode: 'owned' | 'watch' = 'owned') {
  const store = createConsoleStore();
  store.getState().attach(mode, ['cockpit']);
  store.getState().ingest({ events, lines: [] });
  return store.getState();
}

describe('selectors', () => {
  it('header: the constitutional fields, "-" where unknown, the FSM state file when no state is given', () => {
    const ev = eventStream();
    const s = storeWith([ev(runStarted(undefined, { config_sha256: '0123456789abcdef0123', fsm_state_file: '/o/_control/workflow_state.json' }))]);
    expect(headerFields(s)).toEqual([
      { label: 'config', value: '-' },
      { label: 'sha256', value: '0123456789ab' },
      { label: 'transport', value: '-' },
      { label: 'target', value: '-' },
      { label: 'source', value: '-' },
      { label: 'FSM', value: '/o/_control/workflow_state.json' },
      { label: 'flow', value: '-' },
    ]);
  });

  it('pipeline: gates show their attempt status and duration', () => {
    const ev = eventStream();
    const s = storeWith([
      ev(runStarted(GATES)),
      ev({ type: 'gate.started', gate: 'G1', name: 'Intake Approval', attempt: 1, agent: 'human' }, 1000),
      ev({ type: 'gate.finished', gate: 'G1', attempt: 1, status: 'PASS', attempt_file: 'a', failure_reason: null, artifacts: [], validations: [] }, 4000),
      ev({ type: 'gate.started', gate: 'G2', name: 'Research Complete', attempt: 1, agent: 'human' }, 5000),
      ev({ type: 'gate.waiting', gate: 'G2', attempt: 1, packet: 'p', answer_with: [] }, 5000),
    ]);
    expect(pipelineItems(s).map((i) => [i.id, i.status, i.durationMs])).toEqual([
      ['G1', 'ok', 3000],
      ['G2', 'waiting', null],
    ]);
    expect(waitingGate(s)?.gate).toBe('G2');
    expect(leavingStrandsGate(s)).toBe(true);
    expect(leavingStrandsGate({ ...s, mode: 'watch' })).toBe(false);
  });

  it('verdict pane: DET, CONST, verdict, laws, remediation and the next command of a phase', () => {
    const ev = eventStream();
    const s = storeWith([
      ev(runStarted()),
      ev(stepStarted('P20')),
      ev(stepFinished('P20', 'fail', 202, 'target unreachable')),
      ev({ type: 'court.verdict', step: 'P20', det: 'fail', const: 'pass', verdict: 'fail', violated_laws: ['LAW_2', 'LAW_9'], verdict_file: 'v.json', next_command: 'gantry flow --provision skip' }),
    ]);
    expect(verdictView(s, 'P20')).toMatchObject({ det: 'fail', constitutional: 'pass', verdict: 'fail', laws: 'LAW_2, LAW_9', remediation: 'target unreachable', next: 'gantry flow --provision skip' });
    expect(verdictView({ ...s, remediation: { P20: 'bind a reachable target' } }, 'P20').remediation).toBe('bind a reachable target');
    expect(verdictView(s, 'P60')).toMatchObject({ det: '-', constitutional: '-', verdict: '-', laws: '-', remediation: '-', next: '-' });
  });

  it("verdict pane: a gate's checks and failure reason", () => {
    const ev = eventStream();
    const s = storeWith([
      ev(runStarted(GATES)),
      ev({ type: 'gate.started', gate: 'G1', name: 'Intake Approval', attempt: 1, agent: 'human' }),
      ev({
        type: 'gate.finished',
        gate: 'G1',
        attempt: 1,
        status: 'FAIL',
        attempt_file: 'a',
        failure_reason: 'file_exists a/BRIEF.md: missing',
        artifacts: [],
        validations: [{ type: 'file_exists', path: 'a/BRIEF.md', pass: false, severity: 'fail', detail: 'missing' }],
      }),
    ]);
    expect(verdictView(s, 'G1')).toMatchObject({ verdict: 'fail', remediation: 'file_exists a/BRIEF.md: missing', checks: ['✗ file_exists a/BRIEF.md — missing'] });
  });

  it('runs filter matches id, workflow, status and step', () => {
    const row = (run_id: string, workflow: string, status: string, current: string | null) => ({ run_id, workflow, status, current, started_at: '', finished_at: null });
    const runs = [row('run_1_a', 'visual-essay', 'PASSED', null), row('run_2_b', 'remote-experiment', 'RUNNING', 'P60')];
    expect(filteredRuns({ runs, runsFilter: 'p60' }).map((r) => r.run_id)).toEqual(['run_2_b']);
    expect(filteredRuns({ runs, runsFilter: 'passed' }).map((r) => r.run_id)).toEqual(['run_1_a']);
    expect(filteredRuns({ runs, runsFilter: '' })).toHaveLength(2);
  });

  it('durations read at a glance', () => {
    expect([formatDuration(null), formatDuration(1234), formatDuration(65_000), formatDuration(7_500_000)]).toEqual(['-', '1.2s', '1m05s', '2h05m']);
  });
});
