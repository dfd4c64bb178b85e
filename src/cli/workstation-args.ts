import { resolve } from 'node:path';
import type { z } from 'zod';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { Workspace } from '../config/workspace.js';
import type { AuditFolder } from '../workstation/audit-folder.js';
import { reportFor } from '../workstation/governance-check.js';
import { localFolder } from '../workstation/site.js';
import { optionalString, requireString } from './args.js';
import type { Command, ParsedArgs } from './command.js';
import type { CliContext } from './context.js';

/** A value that names a folder (a tag, a workflow): refused with the rule it breaks. */
export function checkedName(schema: z.ZodType<string>, value: string, flag: string, cmd: Command): string {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new GantryError(ExitCode.USAGE, `--${flag} "${value}" is not allowed: ${r.error.issues[0]?.message}`, { hint: `usage: ${cmd.usage}` });
  return r.data;
}


/** `--run-dir` and `--report-json` of the standalone commands: the folder, and the report given or the one result.json lists. */
export async function runDirAndReport(args: ParsedArgs, ctx: CliContext, cmd: Command): Promise<{ folder: AuditFolder; ws: Workspace; reportJson: string | null }> {
  const folder = localFolder(resolve(ctx.cwd, requireString(args, 'run-dir', cmd)));
  const ws = ctx.workspace();
  const given = optionalString(args, 'report-json');
  return { folder, ws, reportJson: await reportFor(folder, given === undefined ? null : resolve(ctx.cwd, given), ws.projectRoot) };
}
