import { readFileSync } from 'node:fs';
import type { SweepPlan, SweepRow } from '../../../contracts/flow.js';
import type { GantryError } from '../../../contracts/errors.js';
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

export interface RowToLaunch {
  row: SweepRow;
  planned: SweepPlan['rows'][number];
}

/** How a row got its task; an error when its start was refused. */
export type RowLaunch = 'launched' | 'attached' | GantryError;

/**
 * Starts a batch of rows as tracked tasks with one remote command; a row that waits for the previous row
 * of its slot is created held and starts when that row has ended. A start is never blindly repeated:
 * after a dropped connection the same batch is sent again, and a task it finds already there (started
 * by the cut attempt) is re-attached, not started again — each such retry is a correctable error.
 */
export async function launchRows(
  tasks: TrackedTasks,
  batch: readonly RowToLaunch[],
  s: LaunchSettings,
  onRetry: (message: string) => void,
): Promise<RowLaunch[]> {
  const requests = batch.map(({ row, planned }) => ({
    id: planned.task_id!,
    timeoutSecs: 0,
    after: planned.after ?? undefined,
    command: rowCommand({
      outputsDir: s.outputsDir,
      repoDir: s.repoDir,
      dataDir: s.dataDir,
      template: s.template,
      row,
      gpu: s.gpuSlots.length ? s.gpuSlots[planned.slot % s.gpuSlots.length]! : null,
      timeoutSecs: s.timeoutSecs,
    }),
  }));
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await tasks.startMany(requests);
      return results.map((r) => ('started' in r ? 'launched' : attempt > 1 && r.alreadyExists ? 'attached' : r.error));
    } catch (e) {
      if (!isTransportError(e) || attempt >= 5) throw e;
      const rows = batch.length === 1 ? `row ${batch[0]!.row.run_id}` : `rows ${batch[0]!.row.run_id}…${batch.at(-1)!.row.run_id}`;
      onRetry(`starting ${rows}: ${e.message} (retry ${attempt})`);
      await sleep(backoffDelay(attempt));
    }
  }
}
