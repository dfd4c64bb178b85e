import type { EngineEvent } from '../../contracts/events.js';

/** Plain one-line rendering of an event for non-TTY output; null for events not worth a line. */
export function plainLine(e: EngineEvent): string | null {
  switch (e.type) {
    case 'run.started':
      return `run ${e.run_id} started: workflow ${e.workflow.name} slug=${e.workflow.slug} artifact_path=${e.workflow.artifact_path} depth=${e.depth}`;
    case 'run.finished':
      return `run ${e.run_id} ${e.status}${e.reason ? `: ${e.reason}` : ''}`;
    case 'gate.started':
      return `[${e.gate}] ${e.name}: attempt ${e.attempt} started (agent ${e.agent})`;
    case 'gate.waiting':
      return `[${e.gate}] waiting for an answer; prompt packet: ${e.packet}\n[${e.gate}] answer with:\n${e.answer_with.map((c) => `    ${c}`).join('\n')}`;
    case 'gate.answer_requested':
      return `[${e.gate}] ${e.action} requested by ${e.by}${e.reason ? `: ${e.reason}` : ''}`;
    case 'gate.finished': {
      const checks = e.validations.map((v) => `    ${v.pass ? 'ok  ' : v.severity === 'warn' ? 'warn' : 'FAIL'} ${v.type} ${v.path}${v.detail ? ` — ${v.detail}` : ''}`);
      return [`[${e.gate}] ${e.status} (attempt ${e.attempt})${e.failure_reason ? `: ${e.failure_reason}` : ''}`, ...checks].join('\n');
    }
    case 'invocation.recorded':
      return `[${e.gate}] invocation ${e.invocation_id} by ${e.agent}: ${e.status}`;
    case 'error.recorded':
      return `error (${e.tier})${e.step ? ` in ${e.step}` : ''}: ${e.message}`;
    case 'lock.recovered':
      return `note: recovered a stale lock of pid ${e.holder_pid} on ${e.holder_host}`;
    case 'note':
      return `note${e.step ? ` [${e.step}]` : ''}: ${e.message}`;
    case 'run.header':
      return `header: ${Object.entries(e.fields).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'sweep.row':
      return `[${e.step}] row ${e.row} ${e.status}${e.message ? `: ${e.message}` : ''}`;
    case 'step.finished':
      return `PHASE=${e.step} STATUS=${e.status} CODE=${e.code} ARTIFACT=${e.artifact ?? '-'}`;
    case 'court.verdict':
      return `PHASE=${e.step} COURT=${e.verdict === 'pass' ? 'pass' : 'fail'} DET=${e.det} CONST=${e.const} VERDICT=${e.verdict_file}`;
    case 'sweep.log':
      return e.lines.map((l) => `[${e.step}] ${e.row} | ${l}`).join('\n');
    default:
      return null;
  }
}

/** A sink for the engine's event stream in non-TTY mode: plain lines, or NDJSON with --json. */
export function reporter(json: boolean, write: (line: string) => void): (e: EngineEvent) => void {
  return (e) => {
    if (json) write(JSON.stringify(e));
    else {
      const line = plainLine(e);
      if (line !== null) write(line);
    }
  };
}
