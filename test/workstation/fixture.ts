import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { gantry, tempProject, writeFile, type CliResult } from '../support/gantry.js';

/**
 * A tiny stand-in for the seed's run_research_workflow.py: prints its arguments and the thread variable,
 * optionally holds until a release file appears, then writes a report JSON under gate_results/.
 */
export const RUN_SCRIPT = `#!/bin/sh
set -e
out=gate_results sharpe=1.0 ticks=0 hold=''
while [ $# -gt 0 ]; do
  case $1 in
    --out-dir) out=$2; shift 2 ;;
    --sharpe) sharpe=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --fail) echo "failing on purpose"; exit 7 ;;
    *) echo "arg: $1"; shift ;;
  esac
done
echo "threads: \${OMP_NUM_THREADS:-unset} \${OPENBLAS_NUM_THREADS:-unset}"
i=1
while [ "$i" -le "$ticks" ]; do echo "tick $i"; i=$((i + 1)); sleep 0.3; done
if [ -n "$hold" ]; then while [ ! -f "$hold" ]; do sleep 0.1; done; echo released; fi
dir="$out/production_gates_$(date +%s)_$$"
mkdir -p "$dir"
printf '{"summary":{"sharpe":%s,"max_drawdown":-0.1},"final_summary":{"decision":"promote"}}\\n' "$sharpe" >"$dir/production_gates_report.json"
echo "report: $dir/production_gates_report.json"
`;

/** The data-quality gate: fails on any NaN in the CSV. */
export const DQ_SCRIPT = `#!/bin/sh
echo "checking $1"
if grep -q NaN "$1"; then echo "DQ FAIL: NaN values in $1"; exit 3; fi
echo "DQ OK: $(wc -l <"$1") lines"
`;

export const CONFIG = `[preflight]
min_cores = 1
min_mem_gb = 0.5

[data_quality]
command = ["sh", "scripts/dq_check.sh", "{input_csv}"]

[workflows.production_gates]
command = ["sh", "scripts/run_workflow.sh"]
require_dq = true
report_dir = "gate_results"
report_name = "*_report.json"

[registry]
metrics = { sharpe = "summary.sharpe", max_drawdown = "summary.max_drawdown" }

[queue]
metric = "sharpe"
order = "desc"

[[queue.filters]]
metric = "max_drawdown"
op = ">="
value = -0.5
`;

const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd });

export interface Project {
  dir: string;
  ws: string;
  runs: string;
  /** Environment for gantry: tracked tasks kept in a temporary folder. */
  env: Record<string, string>;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
}

/** A real git repository with the scripts committed, an initialised workspace and its workstation.toml. */
export async function workstationProject(config = CONFIG): Promise<Project> {
  const { dir, ws, runs } = await tempProject();
  writeFile(join(dir, 'scripts/run_workflow.sh'), RUN_SCRIPT);
  writeFile(join(dir, 'scripts/dq_check.sh'), DQ_SCRIPT);
  writeFile(join(dir, 'data/good.csv'), 'date,close\n2026-01-02,10.5\n2026-01-03,10.7\n');
  writeFile(join(dir, 'data/bad.csv'), 'date,close\n2026-01-02,NaN\n');
  writeFile(join(dir, '.gitignore'), 'gate_results/\n');
  writeFile(join(ws, 'workstation.toml'), config);
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', 'scripts', 'data', '.gitignore');
  await git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'project');
  const env = { OPS_REMOTE_OUTPUTS_DIR: mkdtempSync(join(tmpdir(), 'gantry-tasks-')) };
  return { dir, ws, runs, env, cli: (args, extraEnv) => gantry(args, { cwd: dir, env: { ...env, ...extraEnv } }) };
}

/** The audit folders of a project's workspace (or any `<workspace>/audit/workstation_runs`). */
export function auditFolders(workspaceDir: string): string[] {
  const base = join(workspaceDir, 'audit', 'workstation_runs');
  return existsSync(base) ? readdirSync(base).map((n) => join(base, n)) : [];
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** Every file and folder below `dir` with its size, mtime and SHA-256: equal snapshots mean nothing was touched. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = join(dir, rel);
    const st = statSync(p);
    out[relative(dir, p)] = st.isDirectory()
      ? `dir ${st.mtimeMs}`
      : `${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
  }
  return out;
}

export const OFFICIAL = (tag: string, ...extra: string[]) => ['official-run', '--workflow', 'production_gates', '--tag', tag, '--owner', 'hui', ...extra];
