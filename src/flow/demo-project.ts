import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { SHIPPED_CONFIGS } from '../config/package-root.js';
import { workspaceAt, type Workspace } from '../config/workspace.js';

/**
 * A self-contained demo project in `dir`: a git repository holding the toy training script (the code
 * P50 checks out), a three-row sweep manifest, and a workspace whose config targets `local` with a
 * "pod" folder inside `dir`. Nothing is written outside `dir`.
 */
export async function prepareDemoProject(dir: string): Promise<Workspace> {
  const origin = join(dir, 'repo-origin');
  const pod = join(dir, 'pod');
  mkdirSync(origin, { recursive: true });
  copyFileSync(join(SHIPPED_CONFIGS, 'demo', 'train.sh'), join(origin, 'train.sh'));
  writeFileSync(join(origin, 'README.md'), '# gantry demo experiment\n\n`sh train.sh` is a toy training run.\n');
  const git = (...args: string[]) =>
    execa('git', ['-c', 'user.name=gantry demo', '-c', 'user.email=demo@gantry.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: origin });
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-q', '-m', 'toy training script');
  copyFileSync(join(SHIPPED_CONFIGS, 'sweep.template.csv'), join(dir, 'sweep.csv'));

  const ws = workspaceAt(join(dir, 'gantry'));
  mkdirSync(ws.runsDir, { recursive: true });
  writeFileSync(
    ws.envFile,
    [
      '# gantry demo: the whole flow on this machine (target `local`), no pod.',
      'WF_CONSTITUTION_VERSION=1',
      'WF_CHECKLIST_PATH=flow-checklist.md',
      'LIUM_TARGET=local',
      `REPO_URL=${origin}`,
      'CHECKOUT_BRANCH=main',
      `OPS_REMOTE_REPO=${join(pod, 'repo')}`,
      `OPS_REMOTE_OUTPUTS_DIR=${join(pod, 'outputs')}`,
      `DATA_DIR=${join(pod, 'data')}`,
      'LOCAL_ARTIFACTS_DIR=artifacts',
      'SWEEP_CSV=sweep.csv',
      'SWEEP_CMD_TEMPLATE=sh train.sh --run-id {run_id} --config {config} --seed {seed} --overrides {overrides} --out {run_dir}',
      'RUN_TIMEOUT_SECS=120',
      'MONITOR_POLL_SECS=0.5',
      '',
    ].join('\n'),
  );
  writeFileSync(join(ws.root, '.gitignore'), 'runs/*/logs/\nruns/*/.lock\nruns/*/inbox/\n');
  return ws;
}
