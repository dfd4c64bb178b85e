import { Box } from 'ink';
import { formatDuration } from '../state/selectors.js';
import { stripColour } from '../state/sanitize.js';
import { logKeyOf, type ConsoleState, type SweepRow } from '../state/store.js';
import type { Binding } from './commands.js';
import { KeyHints, StatusLine, TitleBar } from './components/bars.js';
import { Table, type Column } from './components/table.js';
import { paneLayout } from './layout.js';
import type { TerminalSize } from './use-terminal-size.js';

const ROW_COLOUR: Record<string, string> = { running: 'cyan', success: 'green', failed: 'red', timed_out: 'red', skipped: 'gray', pending: 'gray' };

/** The sweep's rows: status, elapsed time, the last line of each row's log. */
export function SweepScreen({ s, size, now, bindings }: { s: ConsoleState; size: TerminalSize; now: number; bindings: Binding[] }) {
  const L = paneLayout(size);
  const lastLine = (r: SweepRow) => {
    const ring = r.log ? s.logs.get(logKeyOf(r.log)) : undefined;
    const line = ring?.textAt(ring.last);
    return line === undefined ? (r.message ?? '') : stripColour(line);
  };
  const columns: Column<SweepRow>[] = [
    { title: 'ROW', max: 28, value: (r) => r.row },
    { title: 'STATUS', width: 9, value: (r) => r.status, colour: (r) => ROW_COLOUR[r.status] },
    { title: 'ELAPSED', width: 8, align: 'right', value: (r) => (r.startedAt === null ? '-' : formatDuration((r.endedAt ?? now) - r.startedAt)) },
    { title: 'LAST LOG LINE', grow: true, value: lastLine },
  ];
  const count = (st: string) => s.sweep.filter((r) => r.status === st).length;
  const steps = [...new Set(s.sweep.flatMap((r) => r.steps))].join(', ');
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <TitleBar
        text={`sweep ${steps} · ${s.sweep.length} rows · ${count('running')} running · ${count('success')} ok · ${count('failed') + count('timed_out')} failed`}
        width={L.width}
      />
      <Box height={L.paneHeight} flexDirection="column">
        <Table columns={columns} rows={s.sweep} selected={s.sweepSelected} height={L.paneHeight} width={L.width} rowKey={(r) => r.row} empty="no sweep rows yet" />
      </Box>
      <StatusLine s={s} />
      <KeyHints bindings={bindings} />
    </Box>
  );
}
