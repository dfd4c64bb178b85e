import { Box, Text } from 'ink';
import type { Binding } from './commands.js';
import { TitleBar } from './components/bars.js';
import { fit } from './layout.js';
import { useColour } from './theme.js';
import type { TerminalSize } from './use-terminal-size.js';

const GLYPH: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pgup: 'PgUp',
  pgdn: 'PgDn',
  enter: 'Enter',
  esc: 'Esc',
  tab: 'Tab',
  home: 'Home',
  end: 'End',
};

export const keyLabel = (k: string) => GLYPH[k] ?? (k.startsWith('ctrl-') ? `Ctrl-${k.slice(5).toUpperCase()}` : k);

/** Every key of the screen below it. */
export function HelpScreen({ screen, bindings, size }: { screen: string; bindings: Binding[]; size: TerminalSize }) {
  const c = useColour();
  const width = size.columns;
  const height = size.rows - 1;
  const keyWidth = 16;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TitleBar text={`help · ${screen} — ? or esc closes`} width={width} />
      {bindings.slice(0, height - 2).map((b) => (
        <Text key={b.keys.join()} wrap="truncate-end">
          {' '}
          <Text bold color={c('cyan')}>
            {fit(b.keys.map(keyLabel).join(' '), keyWidth)}
          </Text>
          {b.help}
        </Text>
      ))}
    </Box>
  );
}
