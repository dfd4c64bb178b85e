import { existsSync, readFileSync } from 'node:fs';
import { GovernanceAuditCheck, PreflightReport, RunContextFile, RunResultFile } from '../../contracts/workstation.js';
import { shCommand } from '../exec/index.js';
import { sha256File } from '../records/hash.js';
import { AUDIT_FILES, type AuditFolder } from './audit-folder.js';
import { displayPath } from './governance-check.js';
import { metricAt } from './json-path.js';

export interface ReviewOptions {
  folder: AuditFolder;
  /** Absolute; null when there is none. */
  reportJson: string | null;
  projectRoot: string;
  /** Metric name → JSON path in the report (workstation.toml [registry.metrics]). */
  metrics: Record<string, string>;
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const orDash = (v: unknown) => (v === null || v === undefined || v === '' ? '-' : String(v));

function seconds(from: string | null | undefined, to: string | null | undefined): string {
  return from && to ? `${Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10}s` : '-';
}

/** Files are read leniently: a review describes whatever is there; the audit check judges it. */
const lenient = <T>(p: Promise<T | null>): Promise<T | null> => p.catch(() => null);

/** run_review.md: what ran, inputs, gates, results, timings and hashes of one audit folder. */
export async function renderRunReview(o: ReviewOptions): Promise<string> {
  const { folder } = o;
  const ctx = await lenient(folder.readJson(AUDIT_FILES.context, RunContextFile));
  const pf = await lenient(folder.readJson(AUDIT_FILES.preflight, PreflightReport));
  const result = await lenient(folder.readJson(AUDIT_FILES.result, RunResultFile));
  const check = await lenient(folder.readJson(AUDIT_FILES.check, GovernanceAuditCheck));
  const command = await folder.fs.readText(folder.path(AUDIT_FILES.command));
  const reportThere = o.reportJson !== null && existsSync(o.reportJson);
  let report: unknown;
  try {
    report = reportThere ? JSON.parse(readFileSync(o.reportJson!, 'utf8')) : undefined;
  } catch {
    report = undefined;
  }

  const L: string[] = [`# Run review — ${ctx?.tag ?? folder.dir}`, '', `Audit folder: ${code(folder.dir)}`, ''];
  L.push('## What ran', '');
  L.push(`- workflow: ${orDash(ctx?.workflow)}`, `- owner: ${orDash(ctx?.owner)}`, `- notes: ${orDash(ctx?.notes)}`);
  L.push(`- target: ${orDash(ctx?.target)} (${orDash(ctx?.hostname)}), project ${code(orDash(ctx?.project_dir))}`);
  L.push(`- gantry run: ${orDash(ctx?.gantry_run_id)}; tracked task: ${orDash(ctx?.task?.id)}`, '');
  L.push('```sh', command?.trimEnd() ?? '# command.sh is missing', '```', '');

  L.push('## Inputs', '');
  L.push(`- arguments: ${ctx ? code(shCommand(ctx.args)) : '-'}`);
  L.push(`- threads: ${orDash(ctx?.threads)}${ctx && Object.keys(ctx.thread_env).length ? ` (${Object.keys(ctx.thread_env).join(', ')})` : ''}`);
  L.push(`- git: ${ctx?.git.repo ? `branch ${orDash(ctx.git.branch)} at ${orDash(ctx.git.commit)}, ${ctx.git.dirty ? `dirty (${ctx.git.dirty_files.length} files)` : 'clean'}` : 'not a git repository'}`);
  const dq = ctx?.data_quality;
  L.push(`- data-quality input: ${dq?.input_csv ? `${code(dq.input_csv)} sha256 ${orDash(dq.input_sha256)}` : '-'}`, '');

  L.push('## Gates', '');
  L.push('| gate | result | detail |', '| --- | --- | --- |');
  for (const c of pf?.checks ?? []) L.push(`| preflight ${c.name} | ${c.ok ? 'ok' : 'FAIL'} | ${c.detail} |`);
  if (!pf) L.push('| preflight | missing | preflight.json is missing or unreadable |');
  if (dq) L.push(`| data quality | ${dq.status} | ${dq.status === 'skipped' ? `skipped by ${orDash(dq.skipped_by)}: ${orDash(dq.skip_reason)}` : dq.exit_code === null ? '-' : `exit ${dq.exit_code}`} |`);
  for (const c of check?.checks ?? []) L.push(`| governance ${c.id} | ${c.ok ? 'ok' : 'FAIL'} | ${c.detail} |`);
  L.push('');

  L.push('## Results', '');
  L.push(`- status: ${orDash(result?.status)}, exit code ${orDash(result?.exit_code)}${result?.reason ? ` — ${result.reason}` : ''}`);
  L.push(`- reports: ${result?.reports.length ? result.reports.map(code).join(', ') : '-'}`);
  L.push(`- reviewed report: ${o.reportJson ? code(displayPath(o.projectRoot, o.reportJson)) + (reportThere ? '' : ' (missing)') : '-'}`);
  for (const [name, path] of Object.entries(o.metrics)) L.push(`- ${name} (${code(path)}): ${orDash(report === undefined ? null : metricAt(report, path))}`);
  L.push('');

  L.push('## Timings', '', '| stage | at | took |', '| --- | --- | --- |');
  const t = ctx?.times;
  L.push(`| invoked | ${orDash(t?.invoked_at)} | |`);
  L.push(`| preflight | ${orDash(t?.preflight_at)} | ${seconds(t?.preflight_at, t?.data_quality_at)} |`);
  L.push(`| data quality | ${orDash(t?.data_quality_at)} | ${seconds(dq?.started_at, dq?.finished_at)} |`);
  L.push(`| run | ${orDash(result?.started_at ?? t?.run_started_at)} | ${result ? `${result.duration_secs}s` : '-'} |`);
  L.push(`| finished | ${orDash(result?.finished_at)} | |`, '');

  L.push('## Hashes (SHA-256)', '');
  const sums = await folder.fs.checksums(folder.dir);
  for (const [file, sum] of [...sums].sort(([a], [b]) => a.localeCompare(b)))
    if (file !== AUDIT_FILES.review && !file.startsWith('.')) L.push(`- ${code(file)} ${sum}`);
  if (reportThere) L.push(`- ${code(displayPath(o.projectRoot, o.reportJson!))} ${await sha256File(o.reportJson!)}`);
  L.push('');
  return L.join('\n');
}

export async function writeRunReview(o: ReviewOptions): Promise<string> {
  await o.folder.writeText(AUDIT_FILES.review, await renderRunReview(o));
  return o.folder.path(AUDIT_FILES.review);
}
