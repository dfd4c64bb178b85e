import { readFileSync } from 'node:fs';
import type { SweepPlan, SweepRow } from '../../../contracts/flow.js';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import type { Executor } from '../../exec/executor.js';
import { isTransportError } from '../../exec/errors.js';
import { TrackedTasks } from '../../exec/tasks.js';
import { backoffDelay, sleep } from '../../exec/backoff.js';
import type { RunWriter } from '../../records/run-writer.js';
import { scriptOutput } from '../remote.js';
import { planRowsText, rowCommand } from './plan.js';

const COMMIT = `out=$(expand "$1"); stamp=$2; c="$out/_control"; m="$out/_manifests"
mv -f "$c/.sweep.json.new" "$c/sweep.json" && mv -f "$c/.sweep.rows.new" "$c/sweep.rows" || exit 1
cp -f "$m/sweep-$stamp.csv" "$m/sweep-latest.csv" || exit 1
# A row about to run must not look done because of an earlier run's summary.json.
while read -r run_id task_id after; do
  [ "$task_id" = - ] || [ -d "$out/_tasks/$task_id" ] || rm -f "$out/$run_id/summary.json"
done <"$c/sweep.rows"
`;

/**
 * Puts the plan on the target before any row starts: `_control/sweep.json` + `sweep.rows`, and under
 * `_manifests/` the CSV (timestamped and as sweep-latest.csv), the config and flow.start.json.
 * Returns the remote manifest path.
 */
export async function commitPlan(
  exec: Executor,
  writer: RunWriter,
  outputsDir: string,
  plan: SweepPlan,
  files: { csv: string; config: string; flowStart: string },
): Promise<string> {
  const stamp = plan.planned_at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const planFile = writer.writeLog('sweep/sweep.json', JSON.stringify(plan) + '\n');
  const rowsFile = writer.writeLog('sweep/sweep.rows', planRowsText(plan));
  const configCopy = writer.writeLog('sweep/workflow.env', readFileSync(files.config, 'utf8'));
  await exec.upload(planFile, `${outputsDir}/_control/.sweep.json.new`);
  await exec.upload(rowsFile, `${outputsDir}/_control/.sweep.rows.new`);
  await exec.upload(files.csv, `${outputsDir}/_manifests/sweep-${stamp}.csv`);
  await exec.upload(configCopy, `${outputsDir}/_manifests/workflow-${stamp}.env`);
  await exec.upload(files.flowStart, `${outputsDir}/_manifests/flow-${stamp}.start.json`);
  await scriptOutput(exec, COMMIT, [outputsDir, stamp], 'committing the sweep plan');
  return `${outputsDir}/_manifests/sweep-${stamp}.csv`;
}

export interface LaunchSettings {
  outputsDir: string;
  repoDir: string;
  dataDir: string;
  template: string;
  timeoutSecs: number;
  gpuSlots: string[];
}

/**
 * Starts one row as a tracked task. A start is never blindly repeated: after a dropped connection the
 * task's existence is checked first (it may have started), and only a task that is not there is
 * started again — each such retry is a correctable error.
 */
export async function launchRow(
  tasks: TrackedTasks,
  row: SweepRow,
  planned: SweepPlan['rows'][number],
  s: LaunchSettings,
  onRetry: (message: string) => void,
): Promise<'launched' | 'attached'> {
  const command = rowCommand({
    outputsDir: s.outputsDir,
    repoDir: s.repoDir,
    dataDir: s.dataDir,
    template: s.template,
    row,
    taskId: planned.task_id!,
    after: planned.after,
    gpu: s.gpuSlots.length ? s.gpuSlots[planned.slot % s.gpuSlots.length]! : null,
    timeoutSecs: s.timeoutSecs,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await tasks.start({ id: planned.task_id!, command, timeoutSecs: 0 });
      return 'launched';
    } catch (e) {
      if (!isTransportError(e) || attempt >= 5) throw e;
      onRetry(`starting row ${row.run_id}: ${e.message} (retry ${attempt})`);
      await sleep(backoffDelay(attempt));
      const exists = await tasks.status(planned.task_id!).then(
        () => true,
        (err: unknown) => {
          if (err instanceof GantryError && err.code === ExitCode.NOT_FOUND) return false;
          throw err;
        },
      );
      if (exists) return 'attached';
    }
  }
}
