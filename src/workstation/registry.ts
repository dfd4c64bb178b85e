import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { RegistryRow, RunContextFile, RunResultFile, type WorkstationConfig } from '../../contracts/workstation.js';
import { acquireLock } from '../records/lock.js';
import { sha256File } from '../records/hash.js';
import { redactDeep } from '../records/redact.js';
import { AUDIT_FILES, parseProblem, type AuditFolder } from './audit-folder.js';
import { displayPath } from './governance-check.js';
import { metricAt } from './json-path.js';

/** Every row of the ledger, in order; a broken line is named by file:line. */
export function readRegistry(path: string): RegistryRow[] {
  if (!existsSync(path)) return [];
  const rows: RegistryRow[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push(RegistryRow.parse(JSON.parse(line)));
      } catch (e) {
        throw new GantryError(ExitCode.INVALID_INPUT, `registry line ${i + 1} is not a registry row: ${parseProblem(e)}`, {
          where: `${path}:${i + 1}`,
          hint: 'the ledger is append-only: restore that line from version control rather than editing it',
        });
      }
    });
  return rows;
}

/** The newest row of each tag, in the order tags first appeared. */
export function latestByTag(rows: readonly RegistryRow[]): RegistryRow[] {
  const latest = new Map<string, RegistryRow>();
  for (const r of rows) latest.set(r.tag, r);
  return [...latest.values()];
}

const sameContent = (a: RegistryRow, b: RegistryRow) => JSON.stringify({ ...a, recorded_at: '' }) === JSON.stringify({ ...b, recorded_at: '' });

export interface RegistryUpdate {
  row: RegistryRow;
  appended: boolean;
}

/**
 * Appends the run's row (tag, workflow, owner, status, report and its hash, metrics taken from the report
 * by the configured JSON paths) to the ledger. Re-running with nothing changed appends nothing.
 */
export async function updateRegistry(o: {
  registry: string;
  folder: AuditFolder;
  reportJson: string;
  projectRoot: string;
  config: WorkstationConfig;
}): Promise<RegistryUpdate> {
  const context = await o.folder.readJson(AUDIT_FILES.context, RunContextFile);
  if (!context)
    throw new GantryError(ExitCode.INVALID_INPUT, `${o.folder.dir} is not an official-run audit folder: context.json is missing`, {
      hint: 'point --run-dir at <workspace>/audit/workstation_runs/<ts>_<workflow>_<tag>',
    });
  const result = await o.folder.readJson(AUDIT_FILES.result, RunResultFile);
  if (!existsSync(o.reportJson)) throw new GantryError(ExitCode.NOT_FOUND, `report ${o.reportJson} does not exist`, { hint: 'check --report-json' });
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(o.reportJson, 'utf8'));
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `report ${o.reportJson} is not JSON: ${(e as Error).message}`, { where: o.reportJson });
  }
  const row: RegistryRow = redactDeep({
    tag: context.tag,
    workflow: context.workflow,
    owner: context.owner,
    status: result?.status ?? 'unknown',
    run_dir: displayPath(o.projectRoot, o.folder.dir),
    report_json: displayPath(o.projectRoot, o.reportJson),
    report_sha256: await sha256File(o.reportJson),
    git_commit: context.git.commit,
    metrics: Object.fromEntries(Object.entries(o.config.registry.metrics).map(([name, path]) => [name, metricAt(report, path)])),
    recorded_at: new Date().toISOString(),
  });
  mkdirSync(dirname(o.registry), { recursive: true });
  const lock = acquireLock(`${o.registry}.lock`, `registry update ${context.tag}`, 'the registry');
  try {
    const previous = readRegistry(o.registry).filter((r) => r.tag === row.tag).at(-1);
    if (previous && sameContent(previous, row)) return { row: previous, appended: false };
    const fd = openSync(o.registry, 'a', 0o644);
    try {
      writeSync(fd, JSON.stringify(row) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { row, appended: true };
  } finally {
    lock.release();
  }
}
