import { Box, Text } from 'ink';
import type { ConsoleState } from '../state/store.js';
import { outputsHeight, type Binding } from './commands.js';
import { KeyHints, StatusLine, TitleBar } from './components/bars.js';
import { paneLayout, textRows } from './layout.js';
import { useColour } from './theme.js';
import type { TerminalSize } from './use-terminal-size.js';

/** A gate's prompt packet (scrollable), its required outputs ticking ✓ as files appear, and the answers. */
export function GateScreen({ s, size, bindings }: { s: ConsoleState; size: TerminalSize; bindings: Binding[] }) {
  const c = useColour();
  const g = s.gateShown ? s.gates[s.gateShown] : undefined;
  const view = s.run?.gates.find((x) => x.gate === s.gateShown);
  const outputs = g?.outputs ?? [];
  const outH = outputsHeight(outputs.length);
  const L = paneLayout(size, outH);
  const rows = textRows(g?.packet ?? (g ? 'loading the prompt packet…' : 'this gate has no prompt packet yet'), L.innerWidth);
  const shown = rows.slice(s.packetScroll, s.packetScroll + L.paneHeight - 2);
  const status = view?.status ?? 'PENDING';
  const answered = g?.answered ? ` · ${g.answered} requested` : '';
  const present = outputs.filter((o) => o.exists).length;
  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <TitleBar text={`gate ${s.gateShown ?? '-'} ${view?.name ?? ''} · attempt ${g?.attempt ?? '-'} · ${status}${answered}`} width={L.width} />
      <Box flexDirection="column" height={L.paneHeight} borderStyle="round" borderColor={c('gray')}>
        {shown.map((line, i) => (
          <Text key={s.packetScroll + i} wrap="truncate-end">
            {line === '' ? ' ' : line}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" height={outH} borderStyle="round" borderColor={c(present === outputs.length ? 'green' : 'yellow')}>
        <Text bold wrap="truncate-end">
          required outputs · {present}/{outputs.length} present{rows.length > L.paneHeight - 2 ? ` · packet line ${s.packetScroll + 1}/${rows.length}` : ''}
        </Text>
        {outputs.length === 0 ? <Text dimColor>(none beyond the contract's validations)</Text> : null}
        {outputs.slice(0, outH - 3).map((o) => (
          <Text key={o.path} wrap="truncate-end">
            <Text color={c(o.exists ? 'green' : 'red')}>{o.exists ? '✓' : '✗'}</Text> {o.path}
          </Text>
        ))}
      </Box>
      <StatusLine s={s} idle={status === 'WAITING' && !g?.answered ? 'f finishes the gate (runs its validations) · x fails it with a reason' : ''} />
      <KeyHints bindings={bindings} />
    </Box>
  );
}
