import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { z } from 'zod';
import {
  PreflightReport,
  RunContextFile,
  RunResultFile,
  type GovernanceAuditCheck,
  type GovernanceCheck,
} from '../../contracts/workstation.js';
import { AUDIT_FILES, AuditFolder, parseProblem } from './audit-folder.js';
import { valueAt } from './json-path.js';
import { rerunCommand } from './rerun.js';

export interface GovernanceOptions {
  folder: AuditFolder;
  /** The report to check (absolute), or null when there is none. */
  reportJson: string | null;
  requireFinalSummary: boolean;
  finalSummaryPath: string;
  /** Report paths in result.json are relative to it. */
  projectRoot: string;
}

/** An audit file once read: its value, or why there is none. */
interface Read<T> {
  value: T | null;
  problem: string | null;
}

async function readAuditJson<S extends z.ZodType>(folder: AuditFolder, name: string, schema: S): Promise<Read<z.infer<S>>> {
  const text = await folder.fs.readText(folder.path(name));
  if (text === null) return { value: null, problem: `${name} is missing` };
  try {
    return { value: schema.parse(JSON.parse(text)), problem: null };
  } catch (e) {
    return { value: null, problem: `${name} does not parse: ${parseProblem(e)}` };
  }
}

/** run.log may be empty (a quiet command); command.sh may not. */
async function readAuditText(folder: AuditFolder, name: string, mayBeEmpty: boolean): Promise<Read<string>> {
  const text = await folder.fs.readText(folder.path(name));
  if (text === null) return { value: null, problem: `${name} is missing` };
  return !mayBeEmpty && text.trim() === '' ? { value: null, problem: `${name} is empty` } : { value: text, problem: null };
}

/**
 * The report to judge: the one given, else the last (newest-named) of the reports result.json lists,
 * resolved in the project; null when there is neither.
 */
export async function reportFor(folder: AuditFolder, given: string | null, projectRoot: string): Promise<string | null> {
  if (given !== null) return given;
  const result = await folder.readJson(AUDIT_FILES.result, RunResultFile).catch(() => null);
  const last = result?.reports.at(-1);
  return last === undefined ? null : resolve(projectRoot, last);
}

export const displayPath = (projectRoot: string, p: string) => {
  const rel = relative(projectRoot, p);
  return rel.startsWith('..') || isAbsolute(rel) ? p : rel;
};

/**
 * The governance audit check: every required file present and parseable, preflight passed, the
 * data-quality gate ran (or was skipped on the record), the result ok, the report present and parseable,
 * and its final summary when required. Each failed check names the command that fixes it.
 */
export async function checkGovernance(o: GovernanceOptions): Promise<GovernanceAuditCheck> {
  const { folder } = o;
  const checks: GovernanceCheck[] = [];
  const add = (id: string, ok: boolean, detail: string, file: string | null, fix: string) => checks.push({ id, ok, detail, file, fix: ok ? null : fix });

  const preflight = await readAuditJson(folder, AUDIT_FILES.preflight, PreflightReport);
  const context = await readAuditJson(folder, AUDIT_FILES.context, RunContextFile);
  const command = await readAuditText(folder, AUDIT_FILES.command, false);
  const log = await readAuditText(folder, AUDIT_FILES.log, true);
  const result = await readAuditJson(folder, AUDIT_FILES.result, RunResultFile);
  const ctx = context.value;
  const tag = ctx?.tag ?? null;
  // An audit record is never patched after the fact: most fixes are the same run under a new tag.
  const rerun = rerunCommand(ctx);
  const monitor = tag ? `gantry monitor --tag ${tag}${ctx && ctx.target !== 'local' ? ` --host ${ctx.target}` : ''} --then-finalize` : rerun;

  for (const [name, r] of [
    [AUDIT_FILES.preflight, preflight],
    [AUDIT_FILES.context, context],
    [AUDIT_FILES.command, command],
    [AUDIT_FILES.log, log],
    [AUDIT_FILES.result, result],
  ] as const) {
    const stillRunning = name === AUDIT_FILES.result && r.problem?.endsWith('missing');
    const detail = r.problem === null ? (name.endsWith('.json') ? 'present and parseable' : 'present') : stillRunning ? `${r.problem} (the run may still be going)` : r.problem;
    add(name, r.problem === null, detail, folder.path(name), stillRunning ? monitor : rerun);
  }

  if (preflight.value)
    add('preflight_passed', preflight.value.ok, preflight.value.ok ? 'every threshold met' : preflight.value.failures.join('; '), folder.path(AUDIT_FILES.preflight), rerun);

  if (ctx) {
    const dq = ctx.data_quality;
    if (dq.status === 'passed') {
      for (const name of [AUDIT_FILES.dqCommand, AUDIT_FILES.dqLog]) {
        const present = (await folder.fs.readText(folder.path(name))) !== null;
        add(name, present, present ? 'present (data-quality gate ran)' : `${name} is missing although the data-quality gate ran`, folder.path(name), rerun);
      }
    } else if (dq.status === 'skipped')
      add('data_quality', Boolean(dq.skip_reason), `skipped by ${dq.skipped_by ?? '?'} with reason: ${dq.skip_reason ?? '(none)'}`, folder.path(AUDIT_FILES.context), rerun);
    else if (dq.status === 'not_required') add('data_quality', true, 'not required for this workflow', null, rerun);
    else
      add('data_quality', false, `data-quality gate ${dq.status === 'failed' ? `failed (exit ${dq.exit_code ?? '-'}; see ${AUDIT_FILES.dqLog})` : 'never ran'}`, folder.path(AUDIT_FILES.dqLog), rerun);
  }

  if (result.value) {
    const r = result.value;
    const good = r.status === 'success' && r.exit_code === 0;
    const why = r.reason ? ` (${r.reason})` : r.status === 'failed' ? ` (see ${AUDIT_FILES.log})` : '';
    add('result_ok', good, `status ${r.status}, exit ${r.exit_code ?? '-'}${why}`, folder.path(AUDIT_FILES.result), rerun);
  }

  const report = o.reportJson;
  const finalize = (path: string) => `gantry finalize --tag ${tag ?? '<tag>'} --report-json ${path}${o.requireFinalSummary ? ' --require-final-summary' : ''}`;
  let reportDoc: unknown;
  if (report === null) add('report', false, 'no report: result.json lists none and --report-json was not given', null, finalize('<path to the report JSON>'));
  else if (!existsSync(report)) add('report', false, `report ${displayPath(o.projectRoot, report)} does not exist`, report, finalize('<path to the report JSON>'));
  else {
    try {
      reportDoc = JSON.parse(readFileSync(report, 'utf8'));
      add('report', true, `report ${displayPath(o.projectRoot, report)} parses`, report, '');
    } catch (e) {
      add('report', false, `report ${displayPath(o.projectRoot, report)} is not JSON: ${(e as Error).message}`, report, rerun);
    }
  }
  if (o.requireFinalSummary) {
    const v = reportDoc === undefined ? undefined : valueAt(reportDoc, o.finalSummaryPath);
    const present = v !== undefined && v !== null;
    add('final_summary', present, present ? `report has ${o.finalSummaryPath}` : `report has no ${o.finalSummaryPath}`, report, rerun);
  }

  const failed = checks.filter((c) => !c.ok).map((c) => c.id);
  return {
    ok: failed.length === 0,
    checked_at: new Date().toISOString(),
    run_dir: folder.dir,
    tag,
    report_json: report,
    require_final_summary: o.requireFinalSummary,
    checks,
    failed,
  };
}

/** Runs the check and writes governance_audit_check.json into the audit folder. */
export async function writeGovernanceCheck(o: GovernanceOptions): Promise<GovernanceAuditCheck> {
  const check = await checkGovernance(o);
  await o.folder.writeJson(AUDIT_FILES.check, check);
  return check;
}
