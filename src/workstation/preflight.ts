import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { GitState, PreflightCheck, PreflightReport } from '../../contracts/workstation.js';
import type { TargetFs } from './target-fs.js';

export interface Thresholds {
  min_cores: number;
  min_mem_gb: number;
  require_clean: boolean;
}

/** One round trip: cores, memory, hostname and git state of the project folder, as key=value lines. */
const PROBE = `cd "$1" || exit 3
echo "cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null)"
if [ -r /proc/meminfo ]; then echo "mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
else echo "mem_kb=$(( $(sysctl -n hw.memsize 2>/dev/null || echo 0) / 1024 ))"; fi
echo "hostname=$(hostname 2>/dev/null || uname -n)"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0
echo "branch=$(git symbolic-ref --short -q HEAD || echo '(detached)')"
echo "commit=$(git rev-parse -q --verify HEAD)"
echo "--status--"
git status --porcelain -- . ":(exclude)$2"`;

const MAX_DIRTY_LISTED = 50;

interface Probe {
  cores: number | null;
  memGb: number | null;
  hostname: string;
  git: GitState;
}

async function probe(fs: TargetFs, projectDir: string, workspaceRel: string): Promise<Probe> {
  const r = await fs.exec.run(['sh', '-c', PROBE, 'sh', projectDir, workspaceRel]);
  if (r.exitCode !== 0)
    throw new GantryError(ExitCode.NOT_FOUND, `the project folder ${projectDir} does not exist on ${fs.target}`, {
      where: fs.target,
      hint: fs.target === 'local' ? 'run gantry inside the project' : `check project_dir for this host in workstation.toml`,
    });
  const text = r.stdout.toString('utf8');
  const [head, status] = text.split('--status--\n');
  const kv = new Map<string, string>();
  for (const line of head!.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const num = (k: string) => (kv.get(k) && Number.isFinite(Number(kv.get(k))) ? Number(kv.get(k)) : null);
  const memKb = num('mem_kb');
  const dirty = status === undefined ? [] : status.split('\n').filter(Boolean);
  return {
    cores: num('cores'),
    memGb: memKb ? Math.round((memKb / 1024 / 1024) * 10) / 10 : null,
    hostname: kv.get('hostname') ?? '',
    git: {
      repo: status !== undefined,
      branch: kv.get('branch') || null,
      commit: kv.get('commit') || null,
      dirty: status === undefined ? null : dirty.length > 0,
      dirty_files: dirty.slice(0, MAX_DIRTY_LISTED),
    },
  };
}

function gitCheck(git: GitState, requireClean: boolean): PreflightCheck {
  const where = git.repo ? `branch ${git.branch ?? '?'} at ${git.commit?.slice(0, 12) ?? '(no commit)'}` : 'not a git repository';
  const state = git.dirty ? `dirty (${git.dirty_files.length}${git.dirty_files.length === MAX_DIRTY_LISTED ? '+' : ''} changed: ${git.dirty_files.slice(0, 5).map((l) => l.slice(3)).join(', ')})` : 'clean';
  if (!requireClean) return { name: 'git', ok: true, detail: git.repo ? `${where}, ${state}` : where };
  if (!git.repo) return { name: 'git', ok: false, detail: '--require-clean: the project is not a git repository' };
  return { name: 'git', ok: !git.dirty, detail: git.dirty ? `--require-clean: working tree is ${state}` : `${where}, clean (required)` };
}

/** Checks a target's cores, memory and git state against the thresholds. Any failed check blocks an official run. */
export async function runPreflight(fs: TargetFs, projectDir: string, workspaceRel: string, t: Thresholds): Promise<PreflightReport> {
  const p = await probe(fs, projectDir, workspaceRel);
  const checks: PreflightCheck[] = [
    {
      name: 'cores',
      ok: p.cores !== null && p.cores >= t.min_cores,
      detail: p.cores === null ? 'could not count the CPU cores' : `${p.cores} cores ${p.cores >= t.min_cores ? '>=' : '<'} ${t.min_cores} required`,
    },
    {
      name: 'memory',
      ok: p.memGb !== null && p.memGb >= t.min_mem_gb,
      detail: p.memGb === null ? 'could not read the memory size' : `${p.memGb} GB ${p.memGb >= t.min_mem_gb ? '>=' : '<'} ${t.min_mem_gb} GB required`,
    },
    gitCheck(p.git, t.require_clean),
  ];
  const failures = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  return {
    ok: failures.length === 0,
    checked_at: new Date().toISOString(),
    target: fs.target,
    hostname: p.hostname,
    project_dir: projectDir,
    thresholds: t,
    cores: p.cores,
    mem_gb: p.memGb,
    git: p.git,
    checks,
    failures,
  };
}
