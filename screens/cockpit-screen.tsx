import { Box, Text } from 'ink';
import { currentLogKey, formatDuration, headerFields, pipelineItems, runElapsedMs, verdictView, waitingGate } from '../state/selectors.js';
import { EVENTS_LOG, type ConsoleState } from '../state/store.js';
import type { Binding } from './commands.js';
import { KeyHints, StatusLine, TitleBar } from './components/bars.js';
import { LogPane } from './components/log-pane.js';
import { Pipeline } from './components/pipeline.js';
import { VerdictPane } from './components/verdict-pane.js';
import { cockpitLayout } from './layout.js';
import type { TerminalSize } from './use-terminal-size.js';

/** Header, phase pipeline, live log of the selected step, verdict pane, keys. */
export function CockpitScreen({ s, size, now, bindings }: { s: ConsoleState; size: TerminalSize; now: number; bindings: Binding[] }) {
  const L = cockpitLayout(size);
  const run = s.run;
  const key = currentLogKey(s) ?? EVENTS_LOG;
  const waiting = waitingGate(s);
  const title = run
    ? [
        'gantry',
        run.run_id,
        run.workflow.name,
        run.status,
        formatDuration(runElapsedMs(run, now)),
        s.mode === 'watch' ? (s.ownerGone ? 'watching · no process holds it now' : 'watching') : '',
      ]
        .filter(Boolean)
        .join(' · ')
    : 'gantry · waiting for the run to start…';
  const fields = headerFields(s);
  const idle = waiting
    ? `${waiting.gate} is waiting for an answer — press a to open its packet`
    : run && run.status !== 'RUNNING'
      ? `run ${run.status}${run.finish_reason ? `: ${run.finish_reason}` : ''} — press q to leave`
      : '';
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <TitleBar text={title} width={L.width} />
      <HeaderLine fields={fields.slice(0, 3)} />
      <HeaderLine fields={fields.slice(3)} />
      <Box height={L.bodyHeight}>
        <Pipeline items={pipelineItems(s)} selected={s.selected} focused={s.focus === 'pipeline'} width={L.pipelineWidth} rows={L.pipelineRows} now={now} />
        <LogPane
          title={key === EVENTS_LOG ? 'run events' : `log ${key}`}
          ring={s.logs.get(key)}
          view={s.log}
          marks={s.marks[key] ?? []}
          width={L.logWidth}
          rows={L.logRows}
          focused={s.focus === 'log'}
        />
      </Box>
      <VerdictPane v={verdictView(s, s.selected)} height={L.verdictHeight} />
      <StatusLine s={s} idle={idle} />
      <KeyHints bindings={bindings} />
    </Box>
  );
}

function HeaderLine({ fields }: { fields: { label: string; value: string }[] }) {
  return (
    <Box height={1}>
      <Text wrap="truncate-end">
        {fields.map((f) => (
          <Text key={f.label}>
            {' '}
            <Text dimColor>{f.label}</Text> {f.value}
            {'  '}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
