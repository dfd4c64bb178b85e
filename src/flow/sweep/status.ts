import { TaskStatus } from '../../../contracts/task.js';
import { SweepPlan } from '../../../contracts/flow.js';
import type { Executor } from '../../exec/executor.js';
import { isHeld } from '../../exec/tasks.js';
import { scriptOutput } from '../remote.js';

/**
 * The state of every sweep row in ONE remote command: the plan (`_control/sweep.json`), then per row its
 * task status (with the wrapper's liveness; a held task waits for its slot), its summary.json, and
 * optionally the next bytes of its log from a given offset. The per-row loop uses shell builtins only
 * (no command substitution, no external command unless log bytes are asked for): a fork per row and
 * file would make the status of a thousand rows take seconds.
 */
const STATUS_SCRIPT = `out=$(expand "$1"); max=$2; shift 2; offsets="$*"
plan="$out/_control/sweep.json"; rows="$out/_control/sweep.rows"
[ -f "$plan" ] && [ -f "$rows" ] || { echo NOPLAN; exit 0; }
printf 'PLAN %s\\n' "$(tr '\\n' ' ' <"$plan")"
# Sets r to the file's lines joined by spaces.
oneline() { r=''; while IFS= read -r l || [ -n "$l" ]; do r="$r$l "; done <"$1"; }
# Sets off to the offset asked for the task (0 when none was).
lookup() { off=0; for kv in $offsets; do case $kv in "$1="*) off=\${kv#*=}; return ;; esac; done; }
while read -r run_id task_id after; do
  printf 'ROW %s\\n' "$run_id"
  d="$out/_tasks/$task_id"
  if [ "$task_id" != - ] && [ -f "$d/status.json" ]; then
    oneline "$d/status.json"
    w=\${r#*'"wrapper_pid":'}; w=\${w%%[!0-9]*}
    if [ -z "$w" ] || kill -0 "$w" 2>/dev/null; then a=alive; else a=dead; fi
    printf 'TASK %s %s\\n' "$a" "$r"
    lookup "$task_id"; n=0
    if [ "$max" -gt 0 ]; then size=$(wc -c <"$d/stdout.log" | tr -d ' '); n=$((size - off)); [ "$n" -gt "$max" ] && n=$max; fi
    if [ "$n" -gt 0 ]; then printf 'LOG %s %s\\n' "$off" "$(tail -c +$((off + 1)) "$d/stdout.log" | head -c "$n" | base64 | tr -d '\\n')"; else echo "LOG $off -"; fi
  else
    echo "TASK missing -"; echo "LOG 0 -"
  fi
  s="$out/$run_id/summary.json"
  if [ -f "$s" ]; then oneline "$s"; printf 'SUMMARY %s\\n' "$r"; else echo "SUMMARY -"; fi
done <"$rows"
`;

export type RowState = 'skipped' | 'unlaunched' | 'waiting' | 'running' | 'done' | 'failed';

export interface RowView {
  run_id: string;
  task_id: string | null;
  state: RowState;
  detail: string | null;
  task: TaskStatus | null;
  /** New log bytes from the offset asked for (empty when none were asked or none arrived). */
  log: Buffer;
  logOffset: number;
  summaryOk: boolean;
}

export interface SweepView {
  plan: SweepPlan | null;
  rows: RowView[];
}

const TERMINAL = ['success', 'failed', 'timed_out'];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function classify(task: TaskStatus | null, alive: boolean, taskId: string | null, summaryOk: boolean): { state: RowState; detail: string | null } {
  if (taskId === null) return { state: 'skipped', detail: 'already done (summary.json ok)' };
  if (!task) return { state: 'unlaunched', detail: null };
  if (!TERMINAL.includes(task.state)) {
    if (!alive) return { state: 'failed', detail: `lost: its wrapper (pid ${task.wrapper_pid}) is gone` };
    return isHeld(task) ? { state: 'waiting', detail: 'waits for the previous row of its slot' } : { state: 'running', detail: null };
  }
  if (summaryOk) return { state: 'done', detail: null };
  if (task.exit_code === 124) return { state: 'failed', detail: 'timed out (RUN_TIMEOUT_SECS)' };
  if (task.state !== 'success') return { state: 'failed', detail: `exit ${task.exit_code ?? 'none'}${task.reason ? ` (${task.reason})` : ''}` };
  return { state: 'failed', detail: 'exited 0 but summary.json does not say {"ok": true}' };
}

export async function sweepStatus(exec: Executor, outputsDir: string, offsets: Map<string, number> = new Map(), maxLogBytes = 0): Promise<SweepView> {
  const args = [outputsDir, String(maxLogBytes), ...[...offsets].map(([id, off]) => `${id}=${off}`)];
  const text = await scriptOutput(exec, STATUS_SCRIPT, args, 'reading the sweep status');
  const lines = text.split('\n');
  if (lines[0] === 'NOPLAN' || !lines[0]?.startsWith('PLAN ')) return { plan: null, rows: [] };
  const plan = SweepPlan.parse(parseJson(lines[0].slice(5)));
  const rows: RowView[] = [];
  for (let i = 1; lines[i]?.startsWith('ROW ') && i + 3 < lines.length; i += 4) {
    const runId = lines[i]!.slice(4);
    const [, alive, ...json] = lines[i + 1]!.split(' ');
    const parsedTask = alive === 'missing' ? null : TaskStatus.safeParse(parseJson(json.join(' ')));
    const task = parsedTask && parsedTask.success ? parsedTask.data : null;
    const [, off, b64] = lines[i + 2]!.split(' ');
    const summaryText = lines[i + 3]!.slice(8);
    const summary = summaryText === '-' ? undefined : parseJson(summaryText);
    const summaryOk = typeof summary === 'object' && summary !== null && (summary as { ok?: unknown }).ok === true;
    const taskId = plan.rows.find((r) => r.run_id === runId)?.task_id ?? null;
    rows.push({
      run_id: runId,
      task_id: taskId,
      ...classify(task, alive === 'alive', taskId, summaryOk),
      task,
      log: b64 && b64 !== '-' ? Buffer.from(b64, 'base64') : Buffer.alloc(0),
      logOffset: Number(off),
      summaryOk,
    });
  }
  return { plan, rows: markStranded(rows) };
}

/**
 * A held row starts when the row it waits for ends; if that row was lost (host reboot, wrapper killed)
 * nothing will ever start it. Such a row is failed, "stranded", so that `--sweep resume` plans it again.
 */
function markStranded(rows: RowView[]): RowView[] {
  const byTask = new Map(rows.filter((r) => r.task_id !== null).map((r) => [r.task_id!, r]));
  const stranded = (r: RowView, seen: number): boolean => {
    const before = r.state === 'waiting' && r.task?.after ? byTask.get(r.task.after) : undefined;
    if (!before || seen > rows.length) return false;
    return (before.state === 'failed' && before.detail?.startsWith('lost:') === true) || stranded(before, seen + 1);
  };
  return rows.map((r) =>
    stranded(r, 0) ? { ...r, state: 'failed', detail: `lost: stranded behind task ${r.task!.after}, which was lost before it could start this row` } : r,
  );
}

export const isSettled = (r: RowView) => r.state === 'done' || r.state === 'failed' || r.state === 'skipped';
