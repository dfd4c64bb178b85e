import type { SweepPlan, SweepRow } from '../../../contracts/flow.js';
import { shPath, shQuote } from '../../exec/quote.js';
import type { RowView } from './status.js';

/** A row's tracked-task id: unique per flow, so a resumed flow finds (and never relaunches) its own tasks. */
export const rowTaskId = (flowId: string, runId: string) => `sw-${flowId.slice(-6)}-${runId}`;

/**
 * Plans a new sweep. Rows whose summary.json already says ok are skipped in `resume` mode; rows whose
 * task of an earlier sweep is still running are adopted in `resume` mode (re-attached, not relaunched).
 * The other rows are spread over `parallel` slots; each waits for the previous row of its slot.
 */
export function planSweep(opts: {
  flowId: string;
  mode: 'start' | 'resume';
  rows: SweepRow[];
  parallel: number;
  previous: RowView[];
}): SweepPlan {
  const lastOfSlot: (string | null)[] = Array.from({ length: opts.parallel }, () => null);
  let next = 0;
  const planned = opts.rows.map((row) => {
    const before = opts.previous.find((p) => p.run_id === row.run_id);
    if (opts.mode === 'resume' && before?.summaryOk && before.state !== 'running' && before.state !== 'waiting')
      return { run_id: row.run_id, task_id: null, slot: 0, after: null };
    const slot = next++ % opts.parallel;
    if (opts.mode === 'resume' && before?.task_id && (before.state === 'running' || before.state === 'waiting')) {
      lastOfSlot[slot] = before.task_id;
      return { run_id: row.run_id, task_id: before.task_id, slot, after: null };
    }
    const taskId = rowTaskId(opts.flowId, row.run_id);
    const after = lastOfSlot[slot] ?? null;
    lastOfSlot[slot] = taskId;
    return { run_id: row.run_id, task_id: taskId, slot, after };
  });
  return { flow_id: opts.flowId, mode: opts.mode, planned_at: new Date().toISOString(), parallel: opts.parallel, rows: planned };
}

/** `_control/sweep.rows`: the plan as `run_id task_id after` lines, for the status script. */
export const planRowsText = (plan: SweepPlan) => plan.rows.map((r) => `${r.run_id} ${r.task_id ?? '-'} ${r.after ?? '-'}`).join('\n') + '\n';

/**
 * command.sh of one row. Row values reach the user's template only through environment variables
 * ({run_id} becomes "$RUN_ID", ...), so no value is ever parsed by a shell. A row that waits for its
 * slot is a held task (it starts when the previous row of its slot has ended), so nothing here waits.
 */
export function rowCommand(opts: {
  outputsDir: string;
  repoDir: string;
  dataDir: string;
  template: string;
  row: SweepRow;
  gpu: string | null;
  timeoutSecs: number;
}): string {
  const vars: Record<string, string> = {
    run_id: '"$RUN_ID"',
    config: '"$RUN_CONFIG"',
    seed: '"$RUN_SEED"',
    overrides: '"$RUN_OVERRIDES"',
    notes: '"$RUN_NOTES"',
    run_dir: '"$RUN_DIR"',
    outputs: '"$OUTPUTS_DIR"',
    repo: '"$REPO_DIR"',
    data_dir: '"$DATA_DIR"',
  };
  const command = opts.template.replace(/\{([a-z_]+)\}/g, (m, k: string) => vars[k] ?? m);
  return [
    `export OUTPUTS_DIR=${shPath(opts.outputsDir)} REPO_DIR=${shPath(opts.repoDir)} DATA_DIR=${opts.dataDir ? shPath(opts.dataDir) : "''"}`,
    `export RUN_ID=${shQuote(opts.row.run_id)} RUN_CONFIG=${shQuote(opts.row.config)} RUN_SEED=${shQuote(opts.row.seed)}`,
    `export RUN_OVERRIDES=${shQuote(opts.row.overrides)} RUN_NOTES=${shQuote(opts.row.notes)} RUN_DIR="$OUTPUTS_DIR/$RUN_ID"`,
    ...(opts.gpu !== null ? [`export CUDA_VISIBLE_DEVICES=${shQuote(opts.gpu)}`] : []),
    'mkdir -p "$RUN_DIR" && cd "$REPO_DIR" || exit 1',
    `echo "gantry: row $RUN_ID started $(date -u +%Y-%m-%dT%H:%M:%SZ)"`,
    `exec timeout -k 10 ${opts.timeoutSecs} sh -c ${shQuote(command)}`,
  ].join('\n');
}
