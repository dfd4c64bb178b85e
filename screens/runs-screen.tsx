import { Box } from 'ink';
import { filteredRuns, formatDuration, runElapsedMs } from '../state/selectors.js';
import type { ConsoleState, RunSummary } from '../state/store.js';
import type { Binding } from './commands.js';
import { KeyHints, StatusLine, TitleBar } from './components/bars.js';
import { Table, type Column } from './components/table.js';
import { paneLayout } from './layout.js';
import type { TerminalSize } from './use-terminal-size.js';

export const RUN_STATUS_COLOUR: Record<string, string> = { RUNNING: 'cyan', PASSED: 'green', FAILED: 'red', CANCELED: 'yellow' };

const started = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return Number.isNaN(d.getTime()) ? iso : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};

/** Every run of the workspace, newest first, filterable; Enter opens one in the cockpit. */
export function RunsScreen({ s, size, now, bindings }: { s: ConsoleState; size: TerminalSize; now: number; bindings: Binding[] }) {
  const L = paneLayout(size);
  const rows = filteredRuns(s);
  const columns: Column<RunSummary>[] = [
    { title: 'RUN ID', max: 52, value: (r) => r.run_id },
    { title: 'WORKFLOW', max: 18, value: (r) => r.workflow },
    { title: 'STATUS', width: 8, value: (r) => r.status, colour: (r) => RUN_STATUS_COLOUR[r.status] },
    { title: 'STARTED', width: 19, value: (r) => started(r.started_at) },
    { title: 'DURATION', width: 8, align: 'right', value: (r) => formatDuration(runElapsedMs(r, now)) },
    { title: 'STEP', grow: true, value: (r) => r.current ?? '-' },
  ];
  const title = `gantry · runs · ${rows.length === s.runs.length ? `${s.runs.length}` : `${rows.length} of ${s.runs.length}`}${s.runsFilter ? ` · filter "${s.runsFilter}"` : ''}`;
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <TitleBar text={title} width={L.width} />
      <Box height={L.paneHeight} flexDirection="column">
        <Table
          columns={columns}
          rows={rows}
          selected={s.runsSelected}
          height={L.paneHeight}
          width={L.width}
          rowKey={(r) => r.run_id}
          empty={s.runs.length ? 'no run matches the filter (esc clears it)' : `no runs in ${s.runsDir || 'this workspace'} — start one with \`gantry run <workflow>\` or \`gantry flow\``}
        />
      </Box>
      <StatusLine s={s} />
      <KeyHints bindings={bindings} />
    </Box>
  );
}
