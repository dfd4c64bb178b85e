// Shared helpers for bench scripts: timing, medians, and printing figures beside their reference.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const GANTRY = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const dist = (p) => import(join(ROOT, 'dist', p));
export const tempDir = (prefix = 'gantry-bench-') => mkdtempSync(join(tmpdir(), prefix));

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Milliseconds for each of `n` runs of a command (after one warm-up run). */
export function timeCommand(file, args, n, opts = {}) {
  execFileSync(file, args, { stdio: 'ignore', ...opts });
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    execFileSync(file, args, { stdio: 'ignore', ...opts });
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export function machine() {
  return `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

export function header(title) {
  console.log(`\n## ${title}\nmachine: ${machine()}`);
}

export const fmt = (ms) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

/**
 * A project for `gantry flow` on the local target, in a fresh temporary folder: an initialised
 * workspace, an origin git repository holding `files` (name → text), and workflow.env with the local
 * target, that repository, pod folders under the project, and `config` on top. Returns the folder.
 */
export function localFlowProject(files, config = {}) {
  const dir = tempDir();
  execFileSync('node', [GANTRY, 'init'], { cwd: dir, stdio: 'ignore' });
  const origin = join(dir, 'origin');
  mkdirSync(origin);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(origin, name), text);
  const git = (...a) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b.invalid', '-c', 'init.defaultBranch=main', ...a], { cwd: origin, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'bench');
  const all = {
    LIUM_TARGET: 'local',
    REPO_URL: origin,
    CHECKOUT_BRANCH: 'main',
    OPS_REMOTE_REPO: join(dir, 'pod', 'repo'),
    OPS_REMOTE_OUTPUTS_DIR: join(dir, 'pod', 'outputs'),
    ...config,
  };
  writeFileSync(join(dir, 'gantry', 'workflow.env'), Object.entries(all).map(([k, v]) => `${k}="${v}"`).join('\n') + '\n');
  return dir;
}
