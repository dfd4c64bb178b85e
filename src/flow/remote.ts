import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { Executor, RunOptions, RunResult } from '../exec/executor.js';

/**
 * Small POSIX sh scripts sent on stdin (`sh -s -- ARGS`): every value travels as an argument, never
 * spliced into the script text, so no quoting can go wrong.
 */
const PRELUDE = `set -u
# ~ and ~/x are the target user's home, as in ssh.
expand() { case $1 in "~") printf '%s' "$HOME" ;; "~/"*) printf '%s/%s' "$HOME" "\${1#"~/"}" ;; *) printf '%s' "$1" ;; esac; }
`;

export async function runScript(exec: Executor, script: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return exec.run(['sh', '-s', '--', ...args], { ...opts, stdin: PRELUDE + script });
}

/** Runs a script that must succeed; its stdout as text. */
export async function scriptOutput(exec: Executor, script: string, args: readonly string[], what: string, opts: RunOptions = {}): Promise<string> {
  const r = await runScript(exec, script, args, opts);
  if (r.exitCode !== 0)
    throw new GantryError(ExitCode.FAILED, `${what} failed on ${exec.target} (exit ${r.exitCode ?? r.signal}): ${r.stderr.toString('utf8').trim()}`, {
      where: exec.target,
    });
  return r.stdout.toString('utf8');
}

const WRITE_FILE = `f=$(expand "$1"); mkdir -p "$(dirname "$f")" && printf '%s\\n' "$2" >"$f.tmp.$$" && mv -f "$f.tmp.$$" "$f"`;

/** Writes a small text file on the target atomically (temp file + rename). */
export async function writeRemoteFile(exec: Executor, path: string, text: string, what: string): Promise<void> {
  await scriptOutput(exec, WRITE_FILE, [path, text], what);
}
