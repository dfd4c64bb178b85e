import { posix } from 'node:path';
import { z } from 'zod';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { redactDeep, redactString } from '../records/redact.js';
import type { TargetFs } from './target-fs.js';

/** The files of an audit folder `<workspace>/audit/workstation_runs/<ts>_<workflow>_<tag>/`. */
export const AUDIT_FILES = {
  preflight: 'preflight.json',
  dqCommand: 'data_quality_command.sh',
  dqLog: 'data_quality.log',
  context: 'context.json',
  command: 'command.sh',
  log: 'run.log',
  result: 'result.json',
  check: 'governance_audit_check.json',
  planJson: 'governance_remediation_plan.json',
  planMd: 'governance_remediation_plan.md',
  review: 'run_review.md',
} as const;

/** `<workspace>/audit`: the run folders, the registry ledger and the candidate queue. */
export const auditRootOf = (workspaceDir: string) => posix.join(workspaceDir, 'audit');
export const runsDirOf = (workspaceDir: string) => posix.join(auditRootOf(workspaceDir), 'workstation_runs');

/** `<UTC yyyymmddTHHMMSSZ>_<workflow>_<tag>` */
export function auditFolderName(now: Date, workflow: string, tag: string): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}_${workflow}_${tag}`;
}

const FOLDER = /^\d{8}T\d{6}Z_.+$/;

/**
 * The folder names that may belong to `tag`. Workflow names and tags may both hold "_", so a name is only
 * a candidate; context.json says whose it is.
 */
export function candidateFolders(names: readonly string[], tag: string): string[] {
  return names.filter((n) => FOLDER.test(n) && n.endsWith(`_${tag}`));
}

/** One audit folder on a target: reads and writes its files, every write redacted and whole. */
export class AuditFolder {
  constructor(
    readonly fs: TargetFs,
    readonly dir: string,
  ) {}

  path(name: string): string {
    return posix.join(this.dir, name);
  }

  get where(): string {
    return this.fs.target === 'local' ? this.dir : `${this.fs.target}:${this.dir}`;
  }

  writeJson(name: string, value: unknown): Promise<void> {
    return this.fs.writeText(this.path(name), JSON.stringify(redactDeep(value), null, 2) + '\n');
  }

  writeText(name: string, text: string): Promise<void> {
    return this.fs.writeText(this.path(name), redactString(text));
  }

  /** A JSON file checked against its schema; null when absent, INVALID_INPUT when it does not parse. */
  async readJson<S extends z.ZodType>(name: string, schema: S): Promise<z.infer<S> | null> {
    const text = await this.fs.readText(this.path(name));
    if (text === null) return null;
    try {
      return schema.parse(JSON.parse(text));
    } catch (e) {
      throw new GantryError(ExitCode.INVALID_INPUT, `${name} is not valid: ${parseProblem(e)}`, { where: `${this.where}/${name}` });
    }
  }
}

/** One line saying why JSON text did not parse or did not match its schema. */
export function parseProblem(e: unknown): string {
  if (e instanceof z.ZodError) return e.issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`).join('; ');
  return (e as Error).message;
}
