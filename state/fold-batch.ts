import type { EngineEvent, EventOf } from '../contracts/events.js';
import { applyEvent } from '../src/records/fold.js';
import { activeStep } from './selectors.js';
import type { ConsoleState, SweepRow } from './store.js';

/** Folds engine events into the run view (the record fold, shared with RUN.json) and the console's extras. */
export function foldBatch(s: ConsoleState, events: EngineEvent[]): Partial<ConsoleState> {
  let run = s.run ?? undefined;
  let { steps, header, verdicts, errors, gates, sweep, screens, selected, notice } = s;
  const now = Date.now();
  let lastStarted: string | undefined;
  for (const e of events) {
    run = applyEvent(run, e);
    if (e.type === 'step.started') lastStarted = e.step;
    if (e.type === 'gate.started') lastStarted = e.gate;
    switch (e.type) {
      case 'run.started':
        steps = e.steps;
        header = { ...e.params, ...header };
        break;
      case 'run.header':
        header = { ...header, ...e.fields };
        break;
      case 'gate.waiting':
        gates = {
          ...gates,
          [e.gate]: { gate: e.gate, attempt: e.attempt, packetPath: e.packet, packet: null, answerWith: e.answer_with, outputs: gates[e.gate]?.outputs ?? [], answered: null },
        };
        break;
      case 'gate.finished': {
        const g = gates[e.gate];
        if (g) gates = { ...gates, [e.gate]: { ...g, answered: null } };
        notice = `${e.gate} ${e.status}${e.failure_reason ? `: ${e.failure_reason}` : ''}`;
        // The packet screen of a gate that got its result gives way to the cockpit, which shows the result.
        if (screens.at(-1) === 'gate' && s.gateShown === e.gate) screens = screens.slice(0, -1);
        break;
      }
      case 'court.verdict':
        verdicts = { ...verdicts, [e.step]: e };
        break;
      case 'error.recorded':
        if (e.step) errors = { ...errors, [e.step]: e.message };
        break;
      case 'sweep.row':
        sweep = upsertRow(sweep, e, now);
        break;
      default:
        break;
    }
  }
  const next = { run: run ?? null, steps };
  // Unless the user picked a step, the selection follows the work: the active step, else the one that ran last.
  if (!s.pinned) selected = activeStep(next) ?? lastStarted ?? selected ?? steps[0]?.id ?? null;
  return { ...next, header, verdicts, errors, gates, sweep, screens, selected, notice, runVersion: s.runVersion + 1 };
}

const TERMINAL_ROW = new Set(['success', 'failed', 'timed_out', 'skipped']);

function upsertRow(rows: SweepRow[], e: EventOf<'sweep.row'>, now: number): SweepRow[] {
  const at = rows.findIndex((r) => r.row === e.row);
  const prev = at === -1 ? undefined : rows[at]!;
  const row: SweepRow = {
    step: e.step,
    steps: prev?.steps.includes(e.step) ? prev.steps : [...(prev?.steps ?? []), e.step],
    row: e.row,
    status: e.status,
    firstSeen: prev?.firstSeen ?? now,
    startedAt: prev?.startedAt ?? (e.status === 'running' ? Date.parse(e.ts) : null),
    endedAt: TERMINAL_ROW.has(e.status) ? Date.parse(e.ts) : null,
    log: e.log ?? prev?.log ?? null,
    message: e.message ?? prev?.message ?? null,
  };
  return at === -1 ? [...rows, row] : rows.map((r, i) => (i === at ? row : r));
}
