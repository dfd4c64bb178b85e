import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';

export interface PathVars {
  slug: string;
  artifact_path: string;
  run_dir: string;
  [name: string]: string;
}

export interface ResolvedPath {
  template: string;
  /** Relative to the project root (or absolute inside the run folder for {run_dir} paths). */
  display: string;
  abs: string;
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/** The deepest existing ancestor's real path, so a symlink pointing out is caught before it is followed. */
function realExisting(p: string): string {
  let d = p;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  const real = realpathSync(d);
  return resolve(real, relative(d, p));
}

/**
 * Substitutes {slug}, {artifact_path}, {run_dir} (and any other given variable) and refuses a result
 * that escapes the project root and the run folder: `..`, an absolute path, or a symlink out.
 */
export function resolveOutputPath(template: string, vars: PathVars, projectRoot: string): ResolvedPath {
  const unknown: string[] = [];
  const text = template.replace(/\{([a-z_]+)\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) unknown.push(m);
    return v ?? m;
  });
  if (unknown.length)
    throw new GantryError(ExitCode.INVALID_INPUT, `unknown path variable ${unknown.join(', ')} in "${template}"`, {
      hint: 'use {slug}, {artifact_path} or {run_dir}',
    });
  const usesRunDir = template.startsWith('{run_dir}');
  const refuse = (why: string) =>
    new GantryError(ExitCode.INVALID_INPUT, `output path "${template}" ${why}`, {
      where: text,
      hint: 'outputs must stay inside the workspace project or the run folder; use a relative path without ".."',
    });
  if (!usesRunDir && isAbsolute(text)) throw refuse('is absolute');
  if (text.split(/[\\/]/).includes('..')) throw refuse('climbs out with ".."');
  const root = resolve(usesRunDir ? vars.run_dir : projectRoot);
  const abs = resolve(projectRoot, text);
  if (!inside(root, abs)) throw refuse('escapes the workspace');
  const realRoot = realpathSync(existsSync(root) ? root : dirname(root));
  if (!inside(realRoot, realExisting(abs))) throw refuse('leads out of the workspace through a symlink');
  return { template, display: usesRunDir ? abs : relative(projectRoot, abs), abs };
}

/** A user-given artifact path must itself be a plain relative path. */
export function checkArtifactPath(p: string): string {
  if (isAbsolute(p) || p.split(/[\\/]/).includes('..') || p.trim() === '')
    throw new GantryError(ExitCode.USAGE, `--artifact-path "${p}" must be a relative path inside the project, without ".."`, {
      hint: 'e.g. --artifact-path src/app/essays/the-word-robot',
    });
  return p.replace(/\/+$/, '');
}
