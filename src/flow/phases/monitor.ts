import { existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, GantryError, isGantryError } from '../../../contracts/errors.js';
import { LineSplitter } from '../../exec/lines.js';
import { writeFileAtomic } from '../../records/atomic.js';
import { CODES } from '../constitution.js';
import { readFsm } from '../fsm.js';
import { envOf, execOf, ok, PhaseFailure, skip, type FlowSession, type PhaseOutcome } from '../session.js';
import { isSettled, sweepStatus, type RowView, type SweepView } from '../sweep/status.js';
import { move, pause, repeatable } from './common.js';
import { rowLog } from './sweep.js';

/** Log lines per row and poll that go into the event stream; the full log is in logs/sweep/<run_id>.log. */
const MAX_EVENT_LINES = 50;
const LOG_CHUNK_BYTES = 256 << 10;

/**
 * How far each task's log has been copied into logs/sweep/ (by task id): the remote byte offset, and
 * the size of the local copy at that point. A resumed monitor continues the tail from there.
 */
type Copied = Map<string, { offset: number; bytes: number }>;

function offsetsFile(s: FlowSession): string {
  return join(s.writer.paths.logs, 'sweep', 'offsets.json');
}

function loadCopied(s: FlowSession): Copied {
  const f = offsetsFile(s);
  return new Map(existsSync(f) ? Object.entries(JSON.parse(readFileSync(f, 'utf8')) as Record<string, { offset: number; bytes: number }>) : []);
}

const remoteOffsets = (copied: Copied) => new Map([...copied].map(([task, c]) => [task, c.offset]));

function tally(s: FlowSession, view: SweepView): void {
  s.sweep = {
    rows: view.rows.length,
    done: view.rows.filter((r) => r.state === 'done' || r.state === 'skipped').length,
    failed: view.rows.filter((r) => r.state === 'failed').map((r) => r.run_id),
    running: view.rows.filter((r) => !isSettled(r)).length,
  };
}

/** One status round trip; a dropped connection is a correctable error, retried with backoff. */
async function poll(s: FlowSession, copied: Copied, maxLog: number): Promise<SweepView> {
  try {
    return await repeatable(s, 'status poll', () => sweepStatus(execOf(s), envOf(s).OPS_REMOTE_OUTPUTS_DIR, remoteOffsets(copied), maxLog));
  } catch (e) {
    if (s.signal.aborted) throw e;
    throw new PhaseFailure(CODES.MONITOR_FAILED, `monitoring failed: ${isGantryError(e) ? e.message : String(e)}`, 'sweep-status');
  }
}

/**
 * P70: `--wait true` polls until every row has settled, streaming row logs (one remote command per
 * poll for all rows); `--wait false` takes one snapshot. A settled sweep moves the FSM to
 * SWEEP_COMPLETED; failed rows are isolated (the others ran on) and make the phase fail with 403.
 */
export async function monitor(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const wait = s.options.wait === 'true';
  const command = wait ? 'sweep-wait' : 'sweep-status';
  const copied = loadCopied(s);
  const splitters: Tails = new Map();
  const shown = new Map<string, string>();
  let view = await poll(s, copied, wait ? LOG_CHUNK_BYTES : 0);
  if (!view.plan) return skip(command, 'no sweep on the target');
  for (;;) {
    for (const r of view.rows) report(s, r, shown, wait ? take(s, r, copied, splitters) : []);
    tally(s, view);
    if (!wait || view.rows.every(isSettled) || s.signal.aborted) break;
    await pause(Number(env.MONITOR_POLL_SECS) * 1000, s.signal);
    view = await poll(s, copied, LOG_CHUNK_BYTES);
  }
  // Canceled while waiting: the phase did not finish, so a resumed flow monitors again.
  if (s.signal.aborted) throw new GantryError(ExitCode.INTERRUPTED, 'canceled while monitoring the sweep');
  const settled = view.rows.every(isSettled);
  let fsm: PhaseOutcome['fsm'];
  if (settled && (await repeatable(s, 'reading the FSM', () => readFsm(execOf(s), env.OPS_REMOTE_OUTPUTS_DIR))).state === 'SWEEP_RUNNING')
    fsm = await move(s, 'SWEEP_COMPLETED', CODES.MONITOR_FAILED, command, 'P70 every row settled');
  const details = { sweep_flow: view.plan?.flow_id ?? null, ...s.sweep, rows_state: view.rows.map((r) => ({ run_id: r.run_id, task_id: r.task_id, state: r.state, detail: r.detail })) };
  const failed = view.rows.filter((r) => r.state === 'failed');
  for (const r of failed) s.writer.append({ type: 'error.recorded', tier: 'uncorrected', step: 'P70', message: `row ${r.run_id} isolated: ${r.detail ?? 'failed'}` });
  if (settled && failed.length)
    throw new PhaseFailure(
      CODES.SWEEP_ROWS_FAILED,
      `${failed.length} of ${view.rows.length} rows failed and were isolated (${failed.map((r) => r.run_id).join(', ')}); the others completed. Re-run only those with: gantry flow --provision skip --sweep resume --wait true`,
      command,
      details,
      'uncorrected',
      fsm,
    );
  const message = settled ? `sweep complete: ${s.sweep?.done} rows done` : `${s.sweep?.running} rows still running (snapshot)`;
  return ok(command, { artifact: `${execOf(s).target}:${env.OPS_REMOTE_OUTPUTS_DIR}/_control/sweep.json`, fsm, message, details });
}

/** Copies new log bytes to logs/sweep/<run_id>.log and returns the complete lines among them. */
type Tails = Map<string, { lines: string[]; splitter: LineSplitter }>;

function take(s: FlowSession, r: RowView, copied: Copied, splitters: Tails): string[] {
  if (!r.task_id || r.log.length === 0) return [];
  const log = rowLog(r.run_id);
  const path = join(s.writer.paths.logs, log);
  // Bytes past what offsets.json vouches for were appended by an attempt that died before saving it:
  // they are cut and fetched again, never doubled.
  const kept = copied.get(r.task_id)?.bytes ?? 0;
  if (existsSync(path) && statSync(path).size > kept) truncateSync(path, kept);
  s.writer.appendLog(log, r.log.toString('utf8'));
  copied.set(r.task_id, { offset: r.logOffset + r.log.length, bytes: statSync(path).size });
  // Atomic: a crash while writing must not leave a torn file that stops every later resume.
  writeFileAtomic(offsetsFile(s), JSON.stringify(Object.fromEntries(copied)));
  let tail = splitters.get(r.run_id);
  if (!tail) {
    const lines: string[] = [];
    splitters.set(r.run_id, (tail = { lines, splitter: new LineSplitter((l) => lines.push(l)) }));
  }
  tail.splitter.push(r.log);
  return tail.lines.splice(0);
}

function report(s: FlowSession, r: RowView, shown: Map<string, string>, lines: string[]): void {
  if (lines.length) {
    const kept = lines.slice(-MAX_EVENT_LINES);
    if (kept.length < lines.length) kept.unshift(`(${lines.length - kept.length} more lines in logs/${rowLog(r.run_id)})`);
    s.writer.append({ type: 'sweep.log', step: 'P70', row: r.run_id, lines: kept });
  }
  const key = `${r.state}:${r.detail}`;
  if (shown.get(r.run_id) === key) return;
  shown.set(r.run_id, key);
  const status = r.state === 'done' ? 'success' : r.state === 'waiting' || r.state === 'unlaunched' ? 'pending' : r.state;
  s.writer.append({ type: 'sweep.row', step: 'P70', row: r.run_id, status, log: rowLog(r.run_id), message: r.detail });
}
