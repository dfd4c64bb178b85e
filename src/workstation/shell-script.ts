import { shCommand, shQuote } from '../exec/index.js';

/** The variables `--threads N` sets, so BLAS/OpenMP libraries use N threads. */
const THREAD_VARS = ['OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'NUMEXPR_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS'] as const;

export function threadEnv(threads: number | null): Record<string, string> {
  return threads === null ? {} : Object.fromEntries(THREAD_VARS.map((v) => [v, String(threads)]));
}

/**
 * A re-runnable POSIX sh script: `sh <file>` runs exactly this command again, from the same folder with
 * the same variables. Every word is quoted, so arguments with spaces, quotes or `$` arrive literally.
 */
export function shellScript(opts: { title: string; cwd: string; env: Record<string, string>; argv: readonly string[] }): string {
  return [
    '#!/bin/sh',
    `# ${opts.title.replace(/\n/g, ' ')}`,
    '# Written by gantry; re-run it exactly as it ran with: sh <this file>',
    `cd ${shQuote(opts.cwd)} || exit 1`,
    ...Object.entries(opts.env).map(([k, v]) => `export ${k}=${shQuote(v)}`),
    `exec ${shCommand(opts.argv)}`,
    '',
  ].join('\n');
}
