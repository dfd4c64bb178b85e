import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/records/fold.js';
import type { EngineEvent } from '../../contracts/events.js';
import { pipelineItems } from '../../state/selectors.js';
import { createConsoleStore, EVENTS_LOG, type ConsoleStore } from '../../state/store.js';
import { currentLogKey } from '../../state/selectors.js';
import { eventStream, GATES, runStarted, stepFinished, stepStarted } from './fixtures.js';

const lines = (key: string, texts: string[], ts = 1) => ({ key, texts, ts, dropped: 0 });
const ingest = (store: ConsoleStore, events: EngineEvent[], logLines: ReturnType<typeof lines>[] = []) => store.getState().ingest({ events, lines: logLines });

function owned(): { store: ConsoleStore; ev: ReturnType<typeof eventStream> } {
  const store = createConsoleStore();
  store.getState().attach('owned', ['cockpit']);
  return { store, ev: eventStream() };
}

describe('the console store folds engine events', () => {
  it('into the same run view as RUN.json (the record fold), plus the steps in their order', () => {
    const { store, ev } = owned();
    const events = [ev(runStarted()), ev(stepStarted('P00')), ev(stepFinished('P00', 'ok')), ev(stepStarted('P20')), ev(stepFinished('P20', 'fail', 201, 'no target'))];
    ingest(store, events);
    let rec;
    for (const e of events) rec = applyEvent(rec, e);
    const s = store.getState();
    expect(s.run).toEqual(rec);
    expect(s.steps.map((x) => x.id)).toEqual(['P00', 'P20', 'P60', 'P99']);
    expect(pipelineItems(s).map((i) => [i.id, i.status, i.code])).toEqual([
      ['P00', 'ok', 0],
      ['P20', 'fail', 201],
      ['P60', 'pending', null],
      ['P99', 'pending', null],
    ]);
  });

  it('takes the header from run params, updated by run.header events', () => {
    const { store, ev } = owned();
    ingest(store, [ev(runStarted(undefined, { config_path: 'gantry/workflow.env' })), ev({ type: 'run.header', fields: { target: 'gpu-1', target_source: 'autobind' } })]);
    expect(store.getState().header).toMatchObject({ config_path: 'gantry/workflow.env', target: 'gpu-1', target_source: 'autobind' });
  });

  it('keeps court verdicts and the last error of each step', () => {
    const { store, ev } = owned();
    ingest(store, [
      ev(runStarted()),
      ev(stepStarted('P00')),
      ev({ type: 'error.recorded', tier: 'fatal', step: 'P00', message: 'config drifted' }),
      ev({ type: 'court.verdict', step: 'P00', det: 'fail', const: 'unverified', verdict: 'fail', violated_laws: ['LAW_1'], verdict_file: 'phases/phase.P00.verdict.json', next_command: 'gantry flow' }),
    ]);
    const s = store.getState();
    expect(s.verdicts.P00).toMatchObject({ det: 'fail', violated_laws: ['LAW_1'] });
    expect(s.errors.P00).toBe('config drifted');
  });

  it('tracks a waiting gate, and the packet screen gives way to the cockpit when its result arrives', () => {
    const { store, ev } = owned();
    ingest(store, [
      ev(runStarted(GATES)),
      ev({ type: 'gate.started', gate: 'G1', name: 'Intake Approval', attempt: 1, agent: 'human' }),
      ev({ type: 'gate.waiting', gate: 'G1', attempt: 1, packet: 'logs/gates/G1/prompt.txt', answer_with: ['gantry gate finish ...'] }),
    ]);
    expect(store.getState().gates.G1).toMatchObject({ attempt: 1, packetPath: 'logs/gates/G1/prompt.txt', packet: null, answered: null });
    store.getState().openGate('G1');
    store.getState().markAnswered('G1', 'finish');
    expect(store.getState().screens).toEqual(['cockpit', 'gate']);
    ingest(store, [ev({ type: 'gate.finished', gate: 'G1', attempt: 1, status: 'PASS', attempt_file: 'x', failure_reason: null, artifacts: [], validations: [] })]);
    const s = store.getState();
    expect(s.screens).toEqual(['cockpit']);
    expect(s.gates.G1!.answered).toBeNull();
    expect(s.notice).toBe('G1 PASS');
  });

  it('keeps one sweep row per row id across the steps that report it', () => {
    const { store, ev } = owned();
    ingest(store, [
      ev(runStarted()),
      ev({ type: 'sweep.row', step: 'P60', row: 'r1', status: 'running', log: 'sweep/r1.log', message: null }),
      ev({ type: 'sweep.row', step: 'P70', row: 'r1', status: 'success', log: 'sweep/r1.log', message: 'done' }),
    ]);
    const rows = store.getState().sweep;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ row: 'r1', status: 'success', steps: ['P60', 'P70'], message: 'done' });
    expect(rows[0]!.endedAt).not.toBeNull();
  });

  it('selects the active step until the user picks one', () => {
    const { store, ev } = owned();
    ingest(store, [ev(runStarted()), ev(stepStarted('P00'))]);
    expect(store.getState().selected).toBe('P00');
    ingest(store, [ev(stepFinished('P00', 'ok')), ev(stepStarted('P20'))]);
    expect(store.getState().selected).toBe('P20');
    store.getState().moveSelection(-1);
    ingest(store, [ev(stepFinished('P20', 'ok')), ev(stepStarted('P60'))]);
    expect(store.getState().selected).toBe('P00');
    expect(store.getState().pinned).toBe(true);
  });
});

describe('the log view', () => {
  function withLog(n: number) {
    const { store, ev } = owned();
    ingest(store, [ev(runStarted()), ev(stepStarted('P60'))], [lines('steps/P60', Array.from({ length: n }, (_, i) => `line ${i}`))]);
    return store;
  }

  it("shows the selected step's log, else the run's events", () => {
    const store = withLog(3);
    expect(currentLogKey(store.getState())).toBe('steps/P60');
    store.getState().moveSelection(-1);
    expect(currentLogKey(store.getState())).toBe(EVENTS_LOG);
    store.getState().moveSelection(1);
    store.getState().toggleEvents();
    expect(currentLogKey(store.getState())).toBe(EVENTS_LOG);
  });

  it('holds at most its capacity per log, sanitized', () => {
    const store = createConsoleStore({ ringCapacity: 100 });
    ingest(store, [], [lines('steps/P60', Array.from({ length: 1000 }, (_, i) => `\x1b[2J\x1b]0;t\x07line ${i}`))]);
    const ring = store.getState().logs.get('steps/P60')!;
    expect(ring.size).toBe(100);
    expect(ring.total).toBe(1000);
    expect(ring.at(999)!.text).toBe('line 999');
  });

  it('pauses where the user scrolls and follows again at the bottom', () => {
    const store = withLog(100);
    const s = () => store.getState();
    expect(s().log.follow).toBe(true);
    s().scrollLog(-10);
    expect(s().log).toMatchObject({ follow: false, bottom: 89 });
    ingest(store, [], [lines('steps/P60', ['more'])]);
    expect(s().log.bottom).toBe(89);
    s().logTop();
    expect(s().log.bottom).toBe(0);
    s().scrollLog(1000);
    expect(s().log).toMatchObject({ follow: true, bottom: null });
    s().toggleFollow();
    expect(s().log).toMatchObject({ follow: false, bottom: 100 });
    s().toggleFollow();
    expect(s().log.follow).toBe(true);
  });

  it('searches from the bottom up with n, down with N, smart case', () => {
    const { store, ev } = owned();
    ingest(store, [ev(runStarted()), ev(stepStarted('P60'))], [lines('steps/P60', ['ERROR one', 'ok', 'error two', 'ok', 'Error three', 'ok'])]);
    const s = () => store.getState();
    s().search('error');
    expect(s().log).toMatchObject({ follow: false, match: 4, bottom: 4 });
    s().searchNext(-1);
    expect(s().log.match).toBe(2);
    s().searchNext(-1);
    expect(s().log.match).toBe(0);
    s().searchNext(-1);
    expect(s().notice).toBe('no earlier match for "error"');
    s().searchNext(1);
    expect(s().log.match).toBe(2);
    s().search('Error');
    expect(s().log.match).toBe(4);
    s().searchNext(-1);
    expect(s().notice).toContain('no earlier match');
  });

  it('marks and unmarks the line at the bottom of the pane', () => {
    const store = withLog(10);
    store.getState().toggleMark();
    expect(store.getState().marks['steps/P60']).toEqual([9]);
    store.getState().scrollLog(-3);
    store.getState().toggleMark();
    expect(store.getState().marks['steps/P60']).toEqual([6, 9]);
    store.getState().toggleMark();
    expect(store.getState().marks['steps/P60']).toEqual([9]);
  });

  it('toggles wrap and timestamps', () => {
    const store = withLog(1);
    store.getState().toggleWrap();
    store.getState().toggleTimestamps();
    expect(store.getState().log).toMatchObject({ wrap: true, timestamps: true });
  });
});

describe('runs, prompts and screens', () => {
  it('filters runs as the filter prompt is typed', () => {
    const store = createConsoleStore();
    const run = (id: string, workflow: string, status = 'PASSED') => ({ run_id: id, workflow, status, started_at: '2025-01-01T00:00:00Z', finished_at: null, current: null });
    store.getState().setRuns([run('run_a', 'visual-essay'), run('run_b', 'remote-experiment', 'RUNNING')], '/ws/runs');
    store.getState().startPrompt('filter');
    store.getState().editPrompt('remote');
    expect(store.getState().runsFilter).toBe('remote');
  });

  it('attach starts over for a new run and keeps the runs list', () => {
    const { store, ev } = owned();
    store.getState().setRuns([], '/ws/runs');
    ingest(store, [ev(runStarted())], [lines('steps/P00', ['x'])]);
    store.getState().attach('watch', ['runs', 'cockpit']);
    const s = store.getState();
    expect(s.run).toBeNull();
    expect(s.logs.size).toBe(0);
    expect(s.runsDir).toBe('/ws/runs');
    expect(s.screens).toEqual(['runs', 'cockpit']);
    s.back();
    expect(store.getState().screens).toEqual(['runs']);
  });
});
