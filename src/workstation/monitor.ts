import { RunContextFile } from '../../contracts/workstation.js';
import { TrackedTasks } from '../exec/index.js';
import { AUDIT_FILES, type AuditFolder } from './audit-folder.js';
import { followRun, type Followed, type WatchTick } from './follow.js';
import { requireRunFolder, type Site } from './site.js';

/** Where a monitor's output goes: headless lines today; the console's log view will implement the same. */
export interface MonitorView {
  line(text: string): void;
  tick(t: WatchTick): void;
}

/** How much of an existing log a monitor shows before the new lines. */
const TAIL_BYTES = 16 << 10;

export interface Monitored extends Followed {
  folder: AuditFolder;
  context: RunContextFile | null;
}

/**
 * Watches an official run by tag, on this machine or a host: new lines of run.log and the run's status,
 * every `intervalSecs`, until the run has ended. Read-only: it lists, reads files and asks the tracked
 * task's status; it never writes on the target.
 */
export async function monitorRun(site: Site, tag: string, intervalSecs: number, view: MonitorView, signal: AbortSignal): Promise<Monitored> {
  const folder = await requireRunFolder(site, tag);
  const context = await folder.readJson(AUDIT_FILES.context, RunContextFile).catch(() => null);
  const task = context?.task ? { tasks: new TrackedTasks(site.fs.exec, { outputsDir: context.task.outputs_dir }), id: context.task.id } : null;
  const followed = await followRun(folder, task, { pollMs: intervalSecs * 1000, onLine: view.line, onTick: view.tick, signal, tailBytes: TAIL_BYTES });
  return { ...followed, folder, context };
}

const kb = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

function since(iso: string | null | undefined): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The status line a headless monitor prints every interval. */
export function statusLine(tag: string, target: string, t: WatchTick): string {
  const when = new Date().toISOString().slice(11, 19);
  if (t.result) {
    const r = t.result;
    return `[monitor ${when}] ${tag} on ${target}: ${r.status}${r.exit_code === null ? '' : ` (exit ${r.exit_code})`} after ${r.duration_secs}s · run.log ${kb(t.logBytes)}${r.reports.length ? ` · reports: ${r.reports.join(', ')}` : ''}${r.reason ? ` · ${r.reason}` : ''}`;
  }
  const task = t.task ? `task ${t.task.state}${t.task.pid ? ` (pid ${t.task.pid})` : ''}${t.task.reason ? `: ${t.task.reason}` : ''}` : 'no task';
  return `[monitor ${when}] ${tag} on ${target}: ${t.ended ? 'ended without result.json' : 'running'} · ${task} · run.log ${kb(t.logBytes)} · elapsed ${since(t.task?.started_at)}`;
}
