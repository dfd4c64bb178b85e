import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { WorkflowEnv } from '../../contracts/flow.js';
import type { Workspace } from '../config/workspace.js';
import { registerSecretsFrom } from '../records/redact.js';

/** Which file is the active config (LAW_1), and whether a `WORKFLOW_CONFIG` override was asked for. */
export interface ConfigChoice {
  canonicalPath: string;
  /** The file the flow reads: the canonical one, or the override when it is allowed. */
  path: string;
  override: boolean;
  /** Set when `WORKFLOW_CONFIG` pointed elsewhere and the canonical config does not allow it. */
  refused: string | null;
}

const ENTRY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/;

/** Every `KEY=value` line of a dotenv text: key → 1-based line numbers, plus lines that are not entries. */
export function locateKeys(text: string): { lines: Map<string, number[]>; stray: number[] } {
  const lines = new Map<string, number[]>();
  const stray: number[] = [];
  const all = text.split(/\r?\n/);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = ENTRY.exec(line);
    if (!m) {
      stray.push(i + 1);
      continue;
    }
    lines.set(m[1]!, [...(lines.get(m[1]!) ?? []), i + 1]);
    // A quoted value may run over several lines: skip to its closing quote.
    const value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'" || q === '`') && !value.slice(1).includes(q)) {
      while (i + 1 < all.length && !all[i + 1]!.includes(q)) i++;
      i++; // the line with the closing quote
    }
  }
  return { lines, stray };
}

/** Parses and checks workflow.env; every problem is reported as file:line: KEY: message, in one error. */
export function parseWorkflowEnv(text: string, path: string): WorkflowEnv {
  const raw = parseDotenv(text);
  const { lines, stray } = locateKeys(text);
  const problems: string[] = stray.map((n) => `${path}:${n}: line is not of the form NAME=value`);
  for (const [key, at] of lines) if (at.length > 1) problems.push(`${path}:${at.at(-1)}: ${key}: set more than once (lines ${at.join(', ')})`);
  const result = WorkflowEnv.safeParse(raw);
  if (!result.success)
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '(file)');
      const line = lines.get(key)?.at(-1);
      const message = issue.code === 'invalid_type' && raw[key] === undefined ? 'missing (required)' : issue.message;
      problems.push(`${path}${line ? `:${line}` : ''}: ${key}: ${message}`);
    }
  if (problems.length > 0)
    throw new GantryError(ExitCode.INVALID_INPUT, `workflow.env is invalid:\n  ${problems.join('\n  ')}`, {
      where: path,
      hint: 'fix the listed keys (configs/workflow.env.template documents each one)',
    });
  const env = result.data!;
  registerSecretsFrom(env);
  return env;
}

export function sha256Text(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the config file now, or null when it is gone. */
export function configSha(path: string): string | null {
  try {
    return sha256Text(readFileSync(path));
  } catch {
    return null;
  }
}

/**
 * LAW_1: the active config is `<workspace>/workflow.env`. `WORKFLOW_CONFIG` naming another file is
 * honoured only when the canonical config itself sets WF_ALLOW_OVERRIDE=1.
 */
export function chooseConfig(ws: Workspace, env: NodeJS.ProcessEnv, cwd: string): ConfigChoice {
  const canonicalPath = ws.envFile;
  const asked = env.WORKFLOW_CONFIG ? resolve(cwd, env.WORKFLOW_CONFIG) : undefined;
  if (!asked || asked === canonicalPath) return { canonicalPath, path: canonicalPath, override: false, refused: null };
  const allowed = existsSync(canonicalPath) && parseDotenv(readFileSync(canonicalPath)).WF_ALLOW_OVERRIDE === '1';
  if (allowed) return { canonicalPath, path: asked, override: true, refused: null };
  return {
    canonicalPath,
    path: canonicalPath,
    override: false,
    refused: `WORKFLOW_CONFIG=${asked} refused: the canonical config ${canonicalPath} does not set WF_ALLOW_OVERRIDE=1`,
  };
}
