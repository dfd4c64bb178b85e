import { isAbsolute, relative, resolve } from 'node:path';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { WorkstationTag, WorkstationWorkflow } from '../../../contracts/workstation.js';
import { requireInitialised } from '../../config/workspace.js';
import { loadWorkstationConfig } from '../../workstation/config.js';
import { officialRun } from '../../workstation/official-run.js';
import { optionalString, requireString } from '../args.js';
import type { Command, ParsedArgs } from '../command.js';
import { exitCodeFor } from '../exit-status.js';
import { CONNECT_OPTIONS, wholeSeconds, withExecutor } from '../remote.js';
import { reporter } from '../reporter.js';
import { checkedName } from '../workstation-args.js';

/** A local CSV path given from any folder, as the DQ command (run in the project folder) will see it. */
function projectPath(cwd: string, projectRoot: string, p: string): string {
  const abs = resolve(cwd, p);
  const rel = relative(projectRoot, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

function skipReason(args: ParsedArgs): string | null {
  const reason = optionalString(args, 'skip-reason');
  if (args.values['skip-dq'] !== true) {
    if (reason !== undefined) throw new GantryError(ExitCode.USAGE, '--skip-reason is only meaningful with --skip-dq', { hint: `usage: ${command.usage}` });
    return null;
  }
  if (!reason?.trim())
    throw new GantryError(ExitCode.USAGE, '--skip-dq needs --skip-reason "<why>": skipping the data-quality gate is recorded with its reason', {
      hint: `usage: ${command.usage}`,
    });
  return reason.trim();
}

const command: Command = {
  name: 'official-run',
  summary: 'An audited official run: preflight, data-quality gate, then the command as a tracked task, with a complete audit folder.',
  usage:
    'gantry official-run --workflow <name> --tag <tag> --owner <who> [--notes "<text>"] [--threads N] [--dq-input-csv <file>] [--skip-dq --skip-reason "<text>"] [--require-clean] [--host <target>] -- <args>',
  options: {
    workflow: { type: 'string' },
    tag: { type: 'string' },
    owner: { type: 'string' },
    notes: { type: 'string' },
    threads: { type: 'string' },
    'dq-input-csv': { type: 'string' },
    'skip-dq': { type: 'boolean' },
    'skip-reason': { type: 'string' },
    'require-clean': { type: 'boolean' },
    host: { type: 'string' },
    ...CONNECT_OPTIONS,
  },
  async run(args, ctx) {
    const workflow = checkedName(WorkstationWorkflow, requireString(args, 'workflow', command), 'workflow', command);
    const tag = checkedName(WorkstationTag, requireString(args, 'tag', command), 'tag', command);
    const owner = requireString(args, 'owner', command);
    const threads = wholeSeconds(args, 'threads', command);
    const skip = skipReason(args);
    const host = optionalString(args, 'host') ?? 'local';
    const ws = requireInitialised(ctx.workspace());
    const config = loadWorkstationConfig(ws);
    const csv = optionalString(args, 'dq-input-csv');
    const events = reporter(ctx.json, ctx.out);
    const outcome = await withExecutor(host, args, ctx, (exec) =>
      officialRun(
        {
          workflow,
          tag,
          owner,
          notes: optionalString(args, 'notes') ?? null,
          threads: threads ?? null,
          dqInputCsv: csv === undefined ? null : host === 'local' ? projectPath(ctx.cwd, ws.projectRoot, csv) : csv,
          skipReason: skip,
          requireClean: args.values['require-clean'] === true,
          args: args.rest,
          gantryArgv: process.argv.slice(2),
        },
        {
          ws,
          config,
          exec,
          env: ctx.env,
          signal: ctx.signal,
          say: (line) => (ctx.json ? ctx.err(line) : ctx.out(line)),
          output: (line) => (ctx.json ? ctx.err(line) : ctx.out(line)),
          events,
        },
      ),
    );
    const { result, folder } = outcome;
    if (ctx.json) ctx.out(JSON.stringify({ run_id: outcome.runId, audit_dir: folder.where, status: outcome.workflow.status, result }));
    else {
      ctx.out(`audit folder: ${folder.where}`);
      if (result) ctx.out(`result: ${result.status}${result.exit_code === null ? '' : ` (exit ${result.exit_code})`}${result.reason ? ` — ${result.reason}` : ''}`);
      if (result && result.status !== 'blocked')
        ctx.out(`next: gantry ${host === 'local' ? `finalize --tag ${tag}` : `sync-finalize --tag ${tag} --host ${host}`}`);
    }
    if (outcome.workflow.error) ctx.err(outcome.workflow.error.render());
    return exitCodeFor(outcome.workflow);
  },
};
export default command;
