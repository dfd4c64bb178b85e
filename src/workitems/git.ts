import { execa } from 'execa';
import { ExitCode, GantryError, type ExitCodeValue } from '../../contracts/errors.js';

/** Runs git with an argument list in `cwd`; a failure becomes one GantryError carrying git's own message. */
export async function git(cwd: string, args: string[], code: ExitCodeValue = ExitCode.FAILED): Promise<string> {
  const r = await execa('git', args, { cwd, reject: false, stripFinalNewline: true });
  if (r.failed) {
    const why = String(r.stderr || r.stdout || r.message).trim().split('\n').slice(0, 3).join('; ');
    throw new GantryError(code, `git ${args.join(' ')} failed: ${why}`, { where: cwd });
  }
  return r.stdout;
}

/** The top level of the repository holding `cwd` (a worktree's own folder inside a worktree). */
export function repoRoot(cwd: string): Promise<string> {
  return git(cwd, ['rev-parse', '--show-toplevel'], ExitCode.NOT_FOUND);
}

export function headSha(repo: string): Promise<string> {
  return git(repo, ['rev-parse', '--verify', 'HEAD^{commit}'], ExitCode.NOT_FOUND);
}

export async function refExists(repo: string, ref: string): Promise<boolean> {
  const r = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, reject: false });
  return r.exitCode === 0;
}

/** The ref a comparison starts from when --base is not given: origin/master, else master, else main. */
export async function defaultCompareBase(repo: string): Promise<string> {
  for (const ref of ['origin/master', 'master', 'main']) if (await refExists(repo, ref)) return ref;
  throw new GantryError(ExitCode.USAGE, 'no origin/master, master or main to compare against', {
    where: repo,
    hint: 'pass --base <ref>',
  });
}

export async function mergeBase(repo: string, base: string): Promise<string> {
  if (!(await refExists(repo, base)))
    throw new GantryError(ExitCode.NOT_FOUND, `base ref "${base}" does not exist`, { where: repo, hint: 'pass an existing branch, tag or sha with --base' });
  return git(repo, ['merge-base', base, 'HEAD'], ExitCode.NOT_FOUND);
}

/** Files changed between the merge base with `base` and HEAD; a rename lists both its old and new path. */
export async function changedFiles(repo: string, base: string): Promise<{ mergeBase: string; files: string[] }> {
  const mb = await mergeBase(repo, base);
  const out = await git(repo, ['diff', '--name-only', '--no-renames', '-z', `${mb}..HEAD`]);
  return { mergeBase: mb, files: out.split('\0').filter(Boolean) };
}
