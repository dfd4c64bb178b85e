import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { ExitCode, GantryError } from '../../contracts/errors.js';

/**
 * Parses a YAML or JSON file (JSON is YAML) and checks it against a schema. Every problem is reported
 * with file:line and the key path, in one error.
 */
export function parseStructuredFile<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  return parseStructuredText(readTextFile(path, what), path, schema, what);
}

/** A file's text, or one clear NOT_FOUND error naming what it was meant to be. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new GantryError(ExitCode.NOT_FOUND, `cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      where: path,
    });
  }
}

export function parseStructuredText<S extends z.ZodType>(text: string, path: string, schema: S, what: string): z.infer<S> {
  if (path.endsWith('.json')) checkStrictJson(text, path, what);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = lines.linePos(Math.min(err.pos[0], Math.max(0, text.length - 1)));
    throw new GantryError(ExitCode.INVALID_INPUT, `${what} is not valid YAML/JSON: ${err.message.split('\n')[0]}`, {
      where: `${path}:${pos.line}:${pos.col}`,
      hint: 'fix the syntax at that line',
    });
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `${what} cannot be read: ${(e as Error).message}`, { where: path, hint: 'fix the document' });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keyPath = issue.path.map(String);
    let line: number | undefined;
    for (let n = keyPath.length; n >= 0 && line === undefined; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
    }
    return `${path}${line ? `:${line}` : ''}: ${keyPath.length ? keyPath.join('.') : '(top level)'}: ${issue.message}`;
  });
  throw new GantryError(ExitCode.INVALID_INPUT, `${what} is invalid:\n  ${problems.join('\n  ')}`, {
    where: path,
    hint: `check it against \`gantry schema\` output and fix the listed keys`,
  });
}

/** YAML accepts what JSON does not (trailing commas, comments): a .json file must be strict JSON. */
function checkStrictJson(text: string, path: string, what: string): void {
  try {
    JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = Number(/position (\d+)/.exec(msg)?.[1] ?? text.length);
    const before = text.slice(0, at).split('\n');
    throw new GantryError(ExitCode.INVALID_INPUT, `${what} is not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/s, '')}`, {
      where: `${path}:${before.length}:${before.at(-1)!.length + 1}`,
      hint: 'fix the syntax at that line',
    });
  }
}
