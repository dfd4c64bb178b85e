import { posix, relative } from 'node:path';
import type { EngineEvent } from '../../contracts/events.js';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { StepDef } from '../../contracts/workflow.js';
import type { DataQualityTrace, PreflightReport, RunContextFile, RunResultFile, WorkstationConfig } from '../../contracts/workstation.js';
import { loadWorkflow } from '../config/definitions.js';
import type { Workspace } from '../config/workspace.js';
import { refusingAnswerer } from '../engine/answers.js';
import { runWorkflow, type WorkflowResult } from '../engine/run-workflow.js';
import type { RunContext, StepHandlers } from '../engine/step-handler.js';
import { TrackedTasks, type Executor } from '../exec/index.js';
import { createRun } from '../records/run-store.js';
import { AUDIT_FILES, AuditFolder, auditFolderName } from './audit-folder.js';
import { dataQualityArgv, workflowSettings, type WorkflowSettings } from './config.js';
import { followRun } from './follow.js';
import { runPreflight } from './preflight.js';
import { runnerCommand } from './runner.js';
import { shellScript, threadEnv } from './shell-script.js';
import { findRunFolder, localSite, openSite, type Site } from './site.js';
import { failed, ok, recordStep, type StepEnd } from './step-record.js';

export interface OfficialRunRequest {
  workflow: string;
  tag: string;
  owner: string;
  notes: string | null;
  threads: number | null;
  /** Relative to the project folder on the target (or absolute there). */
  dqInputCsv: string | null;
  skipReason: string | null;
  requireClean: boolean;
  args: string[];
  gantryArgv: string[];
}

export interface OfficialRunIo {
  ws: Workspace;
  config: WorkstationConfig;
  /** Where the run happens: the local executor, or the --host target's. */
  exec: Executor;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Progress for a person. */
  say(line: string): void;
  /** The run's own output (data_quality.log, run.log), line by line. */
  output(line: string): void;
  events(e: EngineEvent): void;
}

export interface OfficialRunOutcome {
  runId: string;
  folder: AuditFolder;
  workflow: WorkflowResult;
  result: RunResultFile | null;
}

type DqPlan = { kind: 'run'; csv: string; argv: string[] } | { kind: 'skip'; reason: string } | { kind: 'none' };

interface Plan {
  settings: WorkflowSettings;
  argv: string[];
  dq: DqPlan;
}

/** Everything that can be refused before anything is created. */
function plan(req: OfficialRunRequest, io: OfficialRunIo): Plan {
  const settings = workflowSettings(io.config, req.workflow);
  const argv = [...settings.base, ...req.args];
  if (argv.length === 0)
    throw new GantryError(ExitCode.USAGE, `nothing to run: workflow "${req.workflow}" has no configured command and no arguments follow "--"`, {
      hint: `give the whole command after "--", or configure [workflows.${req.workflow}] command = [...] in workstation.toml`,
    });
  if (req.skipReason !== null && req.dqInputCsv !== null)
    throw new GantryError(ExitCode.USAGE, '--skip-dq and --dq-input-csv contradict each other', { hint: 'choose one' });
  if (req.skipReason !== null) return { settings, argv, dq: { kind: 'skip', reason: req.skipReason } };
  if (req.dqInputCsv !== null) return { settings, argv, dq: { kind: 'run', csv: req.dqInputCsv, argv: dataQualityArgv(io.config, req.dqInputCsv, io.ws) } };
  if (settings.requireDq)
    throw new GantryError(ExitCode.POLICY, `workflow "${req.workflow}" requires the data-quality gate before it runs`, {
      hint: 'pass --dq-input-csv <file>, or skip it on the record with --skip-dq --skip-reason "<why>"',
    });
  return { settings, argv, dq: { kind: 'none' } };
}

async function refuseTakenTag(sites: Site[], tag: string): Promise<void> {
  for (const site of sites) {
    const taken = await findRunFolder(site, tag);
    if (taken)
      throw new GantryError(ExitCode.USAGE, `tag "${tag}" already exists: ${taken.where}`, {
        hint: `an official run's tag is used once; choose a new one (e.g. ${tag}_run2)`,
      });
  }
}

/**
 * An official workstation run (seed 001), recorded as a gantry run of the `official-run` workflow:
 * P1 preflight → P2 data-quality gate → P3 the command, run as a tracked task on the target with its
 * audit folder there. Any failure before P3 blocks the run and leaves result.json saying why.
 */
export async function officialRun(req: OfficialRunRequest, io: OfficialRunIo): Promise<OfficialRunOutcome> {
  const p = plan(req, io);
  const def = loadWorkflow(io.ws, 'official-run');
  const site = await openSite(io.ws, io.config, io.exec);
  const local = site.target === 'local' ? site : await localSite(io.ws, io.config);
  await refuseTakenTag(site === local ? [site] : [site, local], req.tag);

  const invokedAt = new Date();
  const name = auditFolderName(invokedAt, req.workflow, req.tag);
  const folder = new AuditFolder(site.fs, posix.join(site.runsDir, name));
  if (!(await site.fs.makeNewDir(folder.dir)))
    throw new GantryError(ExitCode.USAGE, `tag "${req.tag}" already exists: ${folder.where}`, { hint: 'choose a new tag' });

  const writer = createRun(
    io.ws.runsDir,
    {
      workflow: { name: def.name, version: def.version, slug: req.tag, artifact_path: relative(io.ws.projectRoot, posix.join(local.runsDir, name)) },
      depth: 'standard',
      steps: def.steps.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
      params: { tag: req.tag, workflow: req.workflow, owner: req.owner, target: site.target, audit_dir: folder.where },
    },
    io.events,
  );
  try {
    const session = new OfficialRunSession(req, p, site, folder, writer.runId, io, invokedAt);
    const workflow = await runWorkflow({ ws: io.ws, def, writer, answerer: refusingAnswerer, signal: io.signal, options: {} }, session.handlers());
    return { runId: writer.runId, folder, workflow, result: session.result };
  } finally {
    writer.close();
  }
}

class OfficialRunSession {
  result: RunResultFile | null = null;
  private preflight: PreflightReport | null = null;
  private dq: DataQualityTrace = { status: 'not_reached', input_csv: null, input_sha256: null, command: null, exit_code: null, skip_reason: null, skipped_by: null, started_at: null, finished_at: null };
  private task: RunContextFile['task'] = null;
  private readonly times: RunContextFile['times'];
  private readonly env: Record<string, string>;

  constructor(
    private readonly req: OfficialRunRequest,
    private readonly plan: Plan,
    private readonly site: Site,
    private readonly folder: AuditFolder,
    private readonly runId: string,
    private readonly io: OfficialRunIo,
    invokedAt: Date,
  ) {
    this.times = { invoked_at: invokedAt.toISOString(), preflight_at: null, data_quality_at: null, run_started_at: null };
    this.env = threadEnv(req.threads);
  }

  handlers(): StepHandlers {
    const bind = (body: (step: StepDef, ctx: RunContext) => Promise<StepEnd>) => (step: StepDef, ctx: RunContext) => recordStep(step, ctx, () => body(step, ctx));
    return {
      preflight: bind((step) => this.runPreflight(step)),
      audit: bind((step) => this.runDataQuality(step)),
      command: bind((step, ctx) => this.runCommand(step, ctx)),
    };
  }

  private context(): RunContextFile {
    const pf = this.preflight;
    return {
      tag: this.req.tag,
      workflow: this.req.workflow,
      owner: this.req.owner,
      notes: this.req.notes,
      threads: this.req.threads,
      thread_env: this.env,
      target: this.site.target,
      hostname: pf?.hostname ?? '',
      project_dir: this.site.projectDir,
      audit_dir: this.folder.dir,
      git: pf?.git ?? { repo: false, branch: null, commit: null, dirty: null, dirty_files: [] },
      args: this.req.args,
      command: this.plan.argv,
      gantry_argv: this.req.gantryArgv,
      gantry_run_id: this.runId,
      data_quality: this.dq,
      task: this.task,
      report: { dir: this.plan.settings.reportDir, name: this.plan.settings.reportName },
      times: this.times,
    };
  }

  /** A stage said no: context.json and a result.json naming the stage and the reason, then halt. */
  private async block(by: 'preflight' | 'data_quality', reason: string): Promise<void> {
    await this.folder.writeJson(AUDIT_FILES.context, this.context());
    this.result = { status: 'blocked', exit_code: null, started_at: null, finished_at: new Date().toISOString(), duration_secs: 0, reports: [], blocked_by: by, reason };
    await this.folder.writeJson(AUDIT_FILES.result, this.result);
  }

  private async runPreflight(step: StepDef): Promise<StepEnd> {
    const t = this.io.config.preflight;
    this.times.preflight_at = new Date().toISOString();
    const report = await runPreflight(this.site.fs, this.site.projectDir, this.site.workspaceRel, { ...t, require_clean: t.require_clean || this.req.requireClean });
    this.preflight = report;
    await this.folder.writeJson(AUDIT_FILES.preflight, report);
    for (const c of report.checks) this.io.say(`[${step.id}] ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    const file = this.folder.path(AUDIT_FILES.preflight);
    if (report.ok) return ok(`preflight passed on ${report.hostname}`, file);
    const reason = `preflight failed: ${report.failures.join('; ')}`;
    await this.block('preflight', reason);
    return failed(reason, file);
  }

  private async runDataQuality(step: StepDef): Promise<StepEnd> {
    const dq = this.plan.dq;
    const startedAt = new Date().toISOString();
    this.times.data_quality_at = startedAt;
    if (dq.kind === 'skip') {
      this.dq = { ...this.dq, status: 'skipped', skip_reason: dq.reason, skipped_by: this.req.owner };
      const message = `skipped by ${this.req.owner} (--skip-dq): ${dq.reason}`;
      this.io.say(`[${step.id}] data-quality gate ${message}`);
      return { status: 'skip', code: ExitCode.OK, artifact: null, message };
    }
    if (dq.kind === 'none') {
      this.dq = { ...this.dq, status: 'not_required' };
      const message = `not required for workflow ${this.req.workflow} and no --dq-input-csv given`;
      this.io.say(`[${step.id}] data-quality gate ${message}`);
      return { status: 'skip', code: ExitCode.OK, artifact: null, message };
    }
    const fs = this.site.fs;
    const csv = posix.resolve(this.site.projectDir, dq.csv);
    this.dq = { ...this.dq, status: 'failed', input_csv: dq.csv, command: dq.argv, started_at: startedAt, input_sha256: await fs.sha256(csv) };
    if (this.dq.input_sha256 === null) {
      const reason = `data-quality input ${dq.csv} does not exist on ${fs.target} (looked in ${this.site.projectDir})`;
      this.dq.finished_at = new Date().toISOString();
      await this.block('data_quality', reason);
      return failed(reason);
    }
    await this.folder.writeText(
      AUDIT_FILES.dqCommand,
      shellScript({ title: `gantry data-quality gate for tag ${this.req.tag}: ${dq.csv}`, cwd: this.site.projectDir, env: this.env, argv: dq.argv }),
    );
    const log = this.folder.path(AUDIT_FILES.dqLog);
    this.io.say(`[${step.id}] data-quality gate: ${dq.argv.join(' ')}`);
    const r = await fs.exec.run(['sh', '-c', 'sh "$1" >"$2" 2>&1', 'sh', this.folder.path(AUDIT_FILES.dqCommand), log], { signal: this.io.signal });
    for (const line of (await fs.readText(log) ?? '').split('\n').filter(Boolean)) this.io.output(line);
    this.dq = { ...this.dq, status: r.exitCode === 0 ? 'passed' : 'failed', exit_code: r.exitCode, finished_at: new Date().toISOString() };
    if (r.exitCode === 0) return ok(`data-quality gate passed on ${dq.csv}`, log);
    const reason = `data-quality gate failed (exit ${r.exitCode ?? r.signal}) on ${dq.csv}; see ${AUDIT_FILES.dqLog}`;
    await this.block('data_quality', reason);
    return failed(reason, log, r.exitCode ?? ExitCode.FAILED);
  }

  private async runCommand(step: StepDef, ctx: RunContext): Promise<StepEnd> {
    const { fs, projectDir } = this.site;
    const title = `gantry official-run: workflow ${this.req.workflow}, tag ${this.req.tag}, owner ${this.req.owner}`;
    await this.folder.writeText(AUDIT_FILES.command, shellScript({ title, cwd: projectDir, env: this.env, argv: this.plan.argv }));
    const tasks = new TrackedTasks(fs.exec, { env: this.io.env });
    const id = posix.basename(this.folder.dir);
    this.task = { target: this.site.target, id, outputs_dir: tasks.outputsDir };
    this.times.run_started_at = new Date().toISOString();
    await this.folder.writeJson(AUDIT_FILES.context, this.context());
    await tasks.start({ id, command: runnerCommand(this.folder.dir, projectDir, this.plan.settings.reportDir, this.plan.settings.reportName) });
    this.io.say(`[${step.id}] running as tracked task ${id} on ${fs.target}; output follows (run.log)`);
    let followed;
    try {
      followed = await followRun(this.folder, { tasks, id }, { pollMs: 500, onLine: this.io.output, signal: this.io.signal });
    } catch (e) {
      if (this.io.signal.aborted) {
        const host = this.site.target === 'local' ? '' : ` --host ${this.site.target}`;
        ctx.writer.append({
          type: 'note',
          step: step.id,
          message: `stopped following; task ${id} keeps running on ${fs.target}. Follow it: gantry monitor --tag ${this.req.tag}${host}; stop it: gantry task kill --target ${fs.target} --id ${id}`,
        });
      }
      throw e;
    }
    let result = followed.result;
    if (!result) {
      // The runner was killed before it could write result.json: record what the task says.
      const t = followed.task;
      result = {
        status: 'failed',
        exit_code: t?.exit_code ?? null,
        started_at: t?.started_at ?? null,
        finished_at: t?.ended_at ?? new Date().toISOString(),
        duration_secs: t?.started_at && t.ended_at ? (Date.parse(t.ended_at) - Date.parse(t.started_at)) / 1000 : 0,
        reports: [],
        blocked_by: null,
        reason: t?.reason ?? 'the runner ended without writing result.json',
      };
      await this.folder.writeJson(AUDIT_FILES.result, result);
    }
    this.result = result;
    const file = this.folder.path(AUDIT_FILES.result);
    const summary = `exit ${result.exit_code ?? '-'} after ${result.duration_secs}s; reports: ${result.reports.join(', ') || '(none)'}`;
    return result.status === 'success' ? ok(summary, file) : failed(`${result.status}: ${summary}${result.reason ? ` (${result.reason})` : ''}`, file, result.exit_code ?? ExitCode.FAILED);
  }
}
