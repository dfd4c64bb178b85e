import { EVENTS_LOG, stepLogKey, type ConsoleData, type ConsoleState, type GateDetail, type RunSummary } from './store.js';

export type ItemStatus = 'pending' | 'running' | 'waiting' | 'ok' | 'fail' | 'skip';

/** One step of the phase pipeline (P00…P99) or gate pipeline (G1…G3). */
export interface PipelineItem {
  id: string;
  name: string;
  kind: string;
  isGate: boolean;
  status: ItemStatus;
  startedAt: number | null;
  durationMs: number | null;
  code: number | null;
  verdict: 'pass' | 'fail' | 'unverified' | null;
}

const GATE_STATUS: Record<string, ItemStatus> = { PENDING: 'pending', RUNNING: 'running', WAITING: 'waiting', PASS: 'ok', FAIL: 'fail' };

export function pipelineItems(s: Pick<ConsoleState, 'run' | 'steps'>): PipelineItem[] {
  const run = s.run;
  return s.steps.map((step) => {
    const gate = run?.gates.find((g) => g.gate === step.id);
    if (gate) {
      const last = gate.attempts.at(-1);
      const started = last ? Date.parse(last.started_at) : null;
      const ended = last?.finished_at ? Date.parse(last.finished_at) : null;
      return {
        id: step.id,
        name: step.name,
        kind: step.kind,
        isGate: true,
        status: GATE_STATUS[gate.status] ?? 'pending',
        startedAt: started,
        durationMs: started !== null && ended !== null ? ended - started : null,
        code: null,
        verdict: null,
      };
    }
    const p = run?.phases.find((x) => x.step === step.id);
    return {
      id: step.id,
      name: step.name,
      kind: step.kind,
      isGate: false,
      status: p?.status ?? 'pending',
      startedAt: p?.started_at ? Date.parse(p.started_at) : null,
      durationMs: p?.duration_ms ?? null,
      code: p?.code ?? null,
      verdict: p?.verdict ?? null,
    };
  });
}

/** The constitutional header fields the cockpit shows; the first key present wins. */
export const HEADER_FIELDS: { keys: string[]; label: string }[] = [
  { keys: ['config_path'], label: 'config' },
  { keys: ['config_sha256'], label: 'sha256' },
  { keys: ['transport'], label: 'transport' },
  { keys: ['target'], label: 'target' },
  { keys: ['target_source'], label: 'source' },
  { keys: ['fsm_state', 'fsm_state_file'], label: 'FSM' },
  { keys: ['flow_id'], label: 'flow' },
];

/** The header, "-" for what is not known (yet). */
export function headerFields(s: Pick<ConsoleState, 'header'>): { label: string; value: string }[] {
  return HEADER_FIELDS.map(({ keys, label }) => {
    const v = keys.map((k) => s.header[k]).find((x) => x !== undefined && x !== '');
    return { label, value: v === undefined ? '-' : label === 'sha256' ? v.slice(0, 12) : v };
  });
}

/** The gate waiting for an answer, if any. */
export function waitingGate(s: Pick<ConsoleState, 'run' | 'gates'>): GateDetail | undefined {
  const g = s.run?.gates.find((x) => x.status === 'WAITING');
  return g ? s.gates[g.gate] : undefined;
}

/** Leaving would strand a gate: this process runs the run and a gate waits on it. */
export function leavingStrandsGate(s: Pick<ConsoleState, 'mode' | 'run' | 'gates'>): boolean {
  return s.mode === 'owned' && s.run?.status === 'RUNNING' && waitingGate(s) !== undefined;
}

export interface VerdictView {
  title: string;
  det: string;
  constitutional: string;
  verdict: string;
  laws: string;
  remediation: string;
  next: string;
  /** Gate results: one line per validation. */
  checks: string[];
}

/** What the verdict pane shows for a step: the court's verdict for a phase, the contract result for a gate. */
export function verdictView(s: Pick<ConsoleState, 'run' | 'verdicts' | 'remediation' | 'errors'>, step: string | null): VerdictView {
  const none: VerdictView = { title: step ?? '-', det: '-', constitutional: '-', verdict: '-', laws: '-', remediation: '-', next: '-', checks: [] };
  if (!step || !s.run) return none;
  const gate = s.run.gates.find((g) => g.gate === step);
  if (gate) {
    const last = gate.attempts.at(-1);
    const checks = s.run.validations
      .filter((v) => v.gate === step && v.attempt === last?.attempt)
      .map((v) => `${v.pass ? '✓' : v.severity === 'warn' ? '!' : '✗'} ${v.type} ${v.path}${v.pass ? '' : ` — ${v.detail}`}`);
    const done = gate.status === 'PASS' || gate.status === 'FAIL';
    return {
      ...none,
      title: `${step} ${gate.name}`,
      verdict: done ? gate.status.toLowerCase() : '-',
      remediation: last?.failure_reason ?? s.errors[step] ?? '-',
      next: gate.status === 'WAITING' ? `gantry gate finish --run ${s.run.run_id} --gate ${step}` : '-',
      checks,
    };
  }
  const v = s.verdicts[step];
  const phase = s.run.phases.find((p) => p.step === step);
  return {
    ...none,
    title: `${step}${phase ? ` ${phase.name}` : ''}`,
    det: v?.det ?? '-',
    constitutional: v?.const ?? '-',
    verdict: v?.verdict ?? '-',
    laws: v && v.violated_laws.length ? v.violated_laws.join(', ') : '-',
    remediation: s.remediation[step] ?? s.errors[step] ?? (phase?.status === 'fail' ? (phase.message ?? '-') : '-'),
    next: v?.next_command ?? '-',
  };
}

/** Runs matching the filter (a case-insensitive substring of id, workflow, status or current step). */
export function filteredRuns(s: Pick<ConsoleState, 'runs' | 'runsFilter'>): RunSummary[] {
  const q = s.runsFilter.trim().toLowerCase();
  if (!q) return s.runs;
  return s.runs.filter((r) => [r.run_id, r.workflow, r.status, r.current ?? ''].some((f) => f.toLowerCase().includes(q)));
}

/** `1.2s`, `3m04s`, `2h05m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const secs = Math.floor(ms / 1000);
  if (secs < 3600) return `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s`;
  return `${Math.floor(secs / 3600)}h${String(Math.floor((secs % 3600) / 60)).padStart(2, '0')}m`;
}

/** Time a run has taken: to its end, or to `now` while it runs. */
export function runElapsedMs(r: { started_at: string; finished_at: string | null }, now: number): number {
  return (r.finished_at ? Date.parse(r.finished_at) : now) - Date.parse(r.started_at);
}

/** The step being worked on: a running phase or an open gate. */
export function activeStep(s: Pick<ConsoleData, 'run' | 'steps'>): string | null {
  const run = s.run;
  if (!run) return null;
  const open = run.gates.find((g) => g.status === 'RUNNING' || g.status === 'WAITING');
  if (open) return open.gate;
  return run.phases.find((p) => p.status === 'running')?.step ?? null;
}

/** The log the log pane or log screen shows now. */
export function currentLogKey(s: ConsoleState): string | null {
  if (s.screens.at(-1) === 'log' && s.logKey) return s.logKey;
  if (s.showEvents || !s.selected) return EVENTS_LOG;
  const key = stepLogKey(s.selected);
  return s.logs.get(key)?.total ? key : EVENTS_LOG;
}
