import type { EngineEvent } from '../../contracts/events.js';
import type { GateView, PhaseView, RunRecord } from '../../contracts/run.js';

/** RUN.json is this fold of events.jsonl. It mutates `rec` in place so long logs fold in linear time. */
export function applyEvent(rec: RunRecord | undefined, e: EngineEvent): RunRecord {
  if (e.type === 'run.started') {
    rec = {
      run_id: e.run_id,
      workflow: e.workflow,
      depth: e.depth,
      status: 'RUNNING',
      started_at: e.ts,
      finished_at: null,
      finish_reason: null,
      params: e.params,
      gates: [],
      phases: [],
      invocations: [],
      artifacts_index: [],
      validations: [],
      errors: { correctable: 0, uncorrected: 0, fatal: 0, policy: 0 },
      events: [],
      event_count: 0,
      events_bytes: 0,
    };
    for (const s of e.steps) {
      if (s.kind === 'gate' || s.kind === 'approval') rec.gates.push({ gate: s.id, name: s.name, status: 'PENDING', attempts: [] });
      else rec.phases.push(pendingPhase(s.id, s.name, s.kind));
    }
  }
  if (!rec) throw new Error(`events.jsonl does not begin with run.started (first event: ${e.type} #${e.seq})`);
  rec.events.push({ seq: e.seq, ts: e.ts, type: e.type });
  if (rec.events.length > RECENT_EVENTS * 2) rec.events.splice(0, rec.events.length - RECENT_EVENTS);
  rec.event_count = e.seq;

  switch (e.type) {
    case 'run.finished':
      rec.status = e.status;
      rec.finished_at = e.ts;
      rec.finish_reason = e.reason;
      break;
    case 'run.resumed':
      if (rec.status !== 'RUNNING') {
        rec.status = 'RUNNING';
        rec.finished_at = null;
        rec.finish_reason = null;
      }
      break;
    case 'gate.started': {
      const g = gate(rec, e.gate, e.name);
      g.status = 'RUNNING';
      g.attempts.push({ attempt: e.attempt, status: 'RUNNING', agent: e.agent, started_at: e.ts, finished_at: null, failure_reason: null, file: null });
      break;
    }
    case 'gate.waiting': {
      gate(rec, e.gate).status = 'WAITING';
      break;
    }
    case 'gate.finished': {
      const g = gate(rec, e.gate);
      g.status = e.status;
      const a = g.attempts.find((x) => x.attempt === e.attempt);
      if (a) Object.assign(a, { status: e.status, finished_at: e.ts, failure_reason: e.failure_reason, file: e.attempt_file });
      for (const art of e.artifacts) rec.artifacts_index.push({ ...art, gate: e.gate, attempt: e.attempt });
      for (const v of e.validations) rec.validations.push({ ...v, gate: e.gate, attempt: e.attempt });
      break;
    }
    case 'invocation.recorded':
      rec.invocations.push({ invocation_id: e.invocation_id, gate: e.gate, agent: e.agent, status: e.status, recorded_at: e.ts });
      break;
    case 'step.started': {
      const p = phase(rec, e.step, e.name, e.kind);
      Object.assign(p, { status: 'running', started_at: e.ts, finished_at: null, code: null, message: null, verdict: null, violated_laws: [] });
      break;
    }
    case 'step.finished': {
      const p = phase(rec, e.step);
      Object.assign(p, { status: e.status, code: e.code, artifact: e.artifact, finished_at: e.ts, duration_ms: e.duration_ms, message: e.message });
      break;
    }
    case 'court.verdict': {
      const p = phase(rec, e.step);
      p.verdict = e.verdict;
      p.violated_laws = e.violated_laws;
      break;
    }
    case 'error.recorded':
      rec.errors[e.tier] += 1;
      break;
    default:
      break;
  }
  return rec;
}

export function foldEvents(events: EngineEvent[]): RunRecord | undefined {
  let rec: RunRecord | undefined;
  for (const e of events) rec = applyEvent(rec, e);
  return rec && trimmed(rec);
}

/** RUN.json lists the most recent events only; events.jsonl holds them all (event_count says how many). */
export const RECENT_EVENTS = 500;

export function trimmed(rec: RunRecord): RunRecord {
  if (rec.events.length > RECENT_EVENTS) rec.events.splice(0, rec.events.length - RECENT_EVENTS);
  return rec;
}

function gate(rec: RunRecord, id: string, name?: string): GateView {
  let g = rec.gates.find((x) => x.gate === id);
  if (!g) {
    g = { gate: id, name: name ?? id, status: 'PENDING', attempts: [] };
    rec.gates.push(g);
  }
  return g;
}

function pendingPhase(step: string, name: string, kind: string): PhaseView {
  return { step, name, kind, status: 'pending', code: null, artifact: null, started_at: null, finished_at: null, duration_ms: null, message: null, verdict: null, violated_laws: [] };
}

function phase(rec: RunRecord, id: string, name?: string, kind?: string): PhaseView {
  let p = rec.phases.find((x) => x.step === id);
  if (!p) {
    p = pendingPhase(id, name ?? id, kind ?? 'command');
    rec.phases.push(p);
  }
  return p;
}
