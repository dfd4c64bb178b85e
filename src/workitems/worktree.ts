import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { WorkItem } from '../../contracts/work-item.js';
import { git, refExists } from './git.js';

export interface Worktree {
  dir: string;
  branch: string;
  base: string;
  base_sha: string;
}

/** `issue/<id>-<slug>`, the seed's branch name. */
export const issueBranch = (item: WorkItem) => `issue/${item.identity.issue}-${item.identity.slug}`;

/**
 * `git worktree add <dir> -b issue/<id>-<slug> <base>`. Base: --base, else origin/master when it exists,
 * else the current HEAD. Dir: --dir, else ../<repo>-worktrees/issue-<id>-<slug> beside the repository.
 */
export async function createWorktree(repo: string, item: WorkItem, opts: { base?: string; dir?: string; cwd: string }): Promise<Worktree> {
  const branch = issueBranch(item);
  const base = opts.base ?? ((await refExists(repo, 'origin/master')) ? 'origin/master' : 'HEAD');
  if (!(await refExists(repo, base)))
    throw new GantryError(ExitCode.NOT_FOUND, `base ref "${base}" does not exist`, { where: repo, hint: 'pass an existing branch, tag or sha with --base' });
  const dir = opts.dir
    ? resolve(opts.cwd, opts.dir)
    : join(dirname(repo), `${basename(repo)}-worktrees`, `issue-${item.identity.issue}-${item.identity.slug}`);
  if (await refExists(repo, `refs/heads/${branch}`))
    throw new GantryError(ExitCode.USAGE, `branch ${branch} already exists`, {
      where: repo,
      hint: 'its worktree may exist already (`git worktree list`); remove the branch to start over',
    });
  if (existsSync(dir)) throw new GantryError(ExitCode.USAGE, `${dir} already exists`, { hint: 'pass another --dir, or remove it' });
  const base_sha = await git(repo, ['rev-parse', '--verify', `${base}^{commit}`]);
  await git(repo, ['worktree', 'add', dir, '-b', branch, base]);
  return { dir, branch, base, base_sha };
}
