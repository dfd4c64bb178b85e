import { ExitCode } from '../../../contracts/errors.js';
import { readRun } from '../../records/run-store.js';
import { requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'run show',
  summary: 'Show a run record (RUN.json, rebuilt from events.jsonl when stale).',
  usage: 'gantry run show --run <id> [--json]',
  options: { run: { type: 'string' } },
  async run(args, ctx) {
    const r = readRun(ctx.workspace().runsDir, requireString(args, 'run', command));
    if (ctx.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return ExitCode.OK;
    }
    ctx.out(`${r.run_id}  ${r.status}`);
    ctx.out(`  workflow ${r.workflow.name} (${r.workflow.version})  slug ${r.workflow.slug}  artifact_path ${r.workflow.artifact_path}  depth ${r.depth}`);
    ctx.out(`  started ${r.started_at}  finished ${r.finished_at ?? '-'}${r.finish_reason ? `  (${r.finish_reason})` : ''}`);
    for (const g of r.gates) {
      ctx.out(`  ${g.gate.padEnd(4)} ${g.name.padEnd(22)} ${g.status.padEnd(8)} attempts ${g.attempts.length}`);
      for (const a of g.attempts) ctx.out(`       #${a.attempt} ${a.status} by ${a.agent}${a.failure_reason ? ` — ${a.failure_reason}` : ''}`);
    }
    for (const p of r.phases)
      ctx.out(`  ${p.step.padEnd(4)} ${p.name.padEnd(22)} ${p.status.padEnd(8)} code ${p.code ?? '-'}${p.verdict ? ` verdict ${p.verdict}` : ''}`);
    ctx.out(`  invocations ${r.invocations.length}  artifacts ${r.artifacts_index.length}  events ${r.event_count}`);
    return ExitCode.OK;
  },
};
export default command;
