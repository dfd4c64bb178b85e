import { Box } from 'ink';
import type { ConsoleState } from '../state/store.js';
import { currentLogKey } from '../state/selectors.js';
import type { Binding } from './commands.js';
import { KeyHints, StatusLine, TitleBar } from './components/bars.js';
import { LogPane } from './components/log-pane.js';
import { paneLayout } from './layout.js';
import type { TerminalSize } from './use-terminal-size.js';

/** One log full screen (a sweep row's). */
export function LogScreen({ s, size, bindings }: { s: ConsoleState; size: TerminalSize; bindings: Binding[] }) {
  const L = paneLayout(size);
  const key = currentLogKey(s) ?? '';
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <TitleBar text={`log ${key}${s.run ? ` · ${s.run.run_id}` : ''}`} width={L.width} />
      <LogPane title={`log ${key}`} ring={s.logs.get(key)} view={s.log} marks={s.marks[key] ?? []} width={L.width} rows={L.innerRows} focused />
      <StatusLine s={s} />
      <KeyHints bindings={bindings} />
    </Box>
  );
}
