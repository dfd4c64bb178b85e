import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { readTextFile } from './parse-file.js';
import { tomlLineFinder } from './toml-lines.js';

/**
 * Parses a TOML file and checks it against a schema; a syntax error names file:line:column, schema
 * problems are listed one per line as file:line: key.path: message.
 */
export function parseTomlFile<S extends z.ZodType>(path: string, schema: S, what: string, schemaName: string): z.infer<S> {
  return parseTomlText(readTextFile(path, what), path, schema, what, schemaName);
}

export function parseTomlText<S extends z.ZodType>(text: string, path: string, schema: S, what: string, schemaName: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    throw new GantryError(ExitCode.INVALID_INPUT, `${what} is not valid TOML: ${e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}`, {
      where: `${path}:${e.line}:${e.column}`,
      hint: 'fix the syntax at that line',
    });
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lineOf = tomlLineFinder(text);
  const problems = result.error.issues.map((issue) => {
    const line = lineOf(issue.path);
    return `${path}${line ? `:${line}` : ''}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`;
  });
  throw new GantryError(ExitCode.INVALID_INPUT, `${what} is invalid:\n  ${problems.join('\n  ')}`, {
    where: path,
    hint: `check it against \`gantry schema ${schemaName}\` and fix the listed keys`,
  });
}
