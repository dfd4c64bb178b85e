import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmp, writeFile } from '../support/gantry.js';
import { cli, commit, contractYaml, git, repoWithWorkspace } from './support.js';

/** A repository whose master is pushed to a bare `origin`, then one more local commit not pushed. */
async function repoWithOrigin() {
  const repo = await repoWithWorkspace({ 'nmoe/model.py': 'x = 1\n' });
  const origin = join(tmp(), 'origin.git');
  git(dirname(origin), 'init', '-q', '--bare', origin);
  git(repo, 'remote', 'add', 'origin', origin);
  git(repo, 'push', '-q', 'origin', 'master');
  const pushed = git(repo, 'rev-parse', 'HEAD');
  const local = commit(repo, { 'notes.md': 'local only\n' }, 'not pushed');
  writeFile(join(repo, 'contract.yml'), contractYaml());
  return { repo, pushed, local };
}

describe('workitem worktree', () => {
  it('creates ../<repo>-worktrees/issue-<id>-<slug> on branch issue/<id>-<slug> from origin/master', async () => {
    const { repo, pushed } = await repoWithOrigin();
    const r = await cli(repo, 'workitem', 'worktree', 'contract.yml', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const dir = join(dirname(repo), `${basename(repo)}-worktrees`, 'issue-03a-attention');
    expect(JSON.parse(r.stdout)).toEqual({ issue: '03a', dir, branch: 'issue/03a-attention', base: 'origin/master', base_sha: pushed });
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('issue/03a-attention');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(pushed);
    expect(existsSync(join(dir, 'notes.md'))).toBe(false);
    expect(git(repo, 'worktree', 'list')).toContain(dir);

    const again = await cli(repo, 'workitem', 'worktree', 'contract.yml');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('branch issue/03a-attention already exists');
  });

  it('takes --base and --dir; without origin/master it starts from HEAD', async () => {
    const repo = await repoWithWorkspace({ 'a.txt': 'a\n' });
    const first = git(repo, 'rev-parse', 'HEAD');
    const head = commit(repo, { 'b.txt': 'b\n' });
    writeFile(join(repo, 'c.yml'), contractYaml({ issue: '9', slug: 'docs-fix' }));
    const fromHead = await cli(repo, 'workitem', 'worktree', 'c.yml', '--dir', '../wt-head');
    expect(fromHead.code).toBe(0);
    expect(fromHead.stdout).toContain('branch issue/9-docs-fix from HEAD');
    expect(git(join(repo, '..', 'wt-head'), 'rev-parse', 'HEAD')).toBe(head);

    writeFile(join(repo, 'd.yml'), contractYaml({ issue: '10', slug: 'older' }));
    const fromBase = await cli(repo, 'workitem', 'worktree', 'd.yml', '--base', first, '--dir', '../wt-base');
    expect(fromBase.code).toBe(0);
    expect(git(join(repo, '..', 'wt-base'), 'rev-parse', 'HEAD')).toBe(first);
    expect(git(join(repo, '..', 'wt-base'), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('issue/10-older');

    const missing = await cli(repo, 'workitem', 'worktree', 'd.yml', '--base', 'no-such-ref');
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('base ref "no-such-ref" does not exist');
  });
});

describe('scope check', () => {
  /** master with the initial files; the issue branch then commits `files`. */
  async function branchWith(files: Record<string, string>) {
    const repo = await repoWithWorkspace({ 'nmoe/model.py': 'x = 1\n', 'nmoe/train.py': 't = 1\n' });
    git(repo, 'checkout', '-q', '-b', 'issue/03a-attention');
    commit(repo, files);
    writeFile(join(repo, 'gantry', 'contract.yml'), contractYaml());
    return repo;
  }

  it('passes when every changed file is inside allow and outside deny', async () => {
    const repo = await branchWith({ 'nmoe/attention/local.py': 'a\n', 'nmoe/attention/deep/global.py': 'g\n', 'nmoe/model.py': 'x = 2\n' });
    const r = await cli(repo, 'scope', 'check', '--contract', 'gantry/contract.yml', '--base', 'master');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^scope PASS: 3 files changed since master \(merge base [0-9a-f]{12}\)$/);
    const json = JSON.parse((await cli(repo, 'scope', 'check', '--contract', 'gantry/contract.yml', '--base', 'master', '--json')).stdout);
    expect(json).toMatchObject({ pass: true, outside_allow: [], inside_deny: [], merge_base: git(repo, 'rev-parse', 'master') });
    expect(json.files.sort()).toEqual(['nmoe/attention/deep/global.py', 'nmoe/attention/local.py', 'nmoe/model.py']);
  });

  it('fails listing files outside allow and inside deny, counting from the merge base', async () => {
    const repo = await branchWith({ 'nmoe/attention/a.py': 'a\n', 'nmoe/train.py': 't = 2\n', 'nmoe/csrc/kernel.cu': 'k\n' });
    // master moves on after the branch point: its changes are not the branch's.
    git(repo, 'checkout', '-q', 'master');
    commit(repo, { 'elsewhere.txt': 'master work\n' });
    git(repo, 'checkout', '-q', 'issue/03a-attention');
    const r = await cli(repo, 'scope', 'check', '--contract', 'gantry/contract.yml', '--base', 'master');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^scope FAIL: 3 files changed since master/),
      '  outside scope.allow: nmoe/csrc/kernel.cu',
      '  outside scope.allow: nmoe/train.py',
      '  inside scope.deny:   nmoe/csrc/kernel.cu',
    ]);
  });

  it('fails a file inside deny even when allow matches it', async () => {
    const repo = await branchWith({ 'nmoe/attention/secret.py': 'x\n' });
    writeFile(join(repo, 'gantry', 'contract.yml'), contractYaml({ deny: ['**/secret.py'] }));
    const r = await cli(repo, 'scope', 'check', '--contract', 'gantry/contract.yml', '--base', 'master', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ pass: false, outside_allow: [], inside_deny: ['nmoe/attention/secret.py'] });
  });

  it('lists both paths of a rename, so moving a file out of scope is caught', async () => {
    const repo = await branchWith({ 'nmoe/attention/x.py': 'x\n' });
    git(repo, 'mv', 'nmoe/train.py', 'nmoe/attention/train.py');
    git(repo, 'commit', '-q', '-m', 'move');
    const r = await cli(repo, 'scope', 'check', '--contract', 'gantry/contract.yml', '--base', 'master', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).outside_allow).toEqual(['nmoe/train.py']);
  });
});
