import { useCallback, useEffect, useRef } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import { useStore } from 'zustand';
import type { EngineCommands } from '../state/engine-commands.js';
import type { ConsoleStore } from '../state/store.js';
import { CockpitScreen } from './cockpit-screen.js';
import { bindingsFor, dispatchKey } from './commands.js';
import { GateScreen } from './gate-screen.js';
import { HelpScreen } from './help-screen.js';
import { MIN_COLUMNS, MIN_ROWS, tooSmall } from './layout.js';
import { LogScreen } from './log-screen.js';
import { RunsScreen } from './runs-screen.js';
import { SweepScreen } from './sweep-screen.js';
import { ColourProvider } from './theme.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

/** The console: one store, one key dispatcher, the screen on top of the stack. */
export function ConsoleApp({ store, commands }: { store: ConsoleStore; commands: EngineCommands }) {
  const s = useStore(store);
  const size = useTerminalSize();
  const now = useNow(1000);
  const ctx = { store, commands, size };
  // Keys always see the newest state and size, not the ones of the last render.
  const latest = useRef(ctx);
  useEffect(() => {
    latest.current = ctx;
  });
  const onKey = useCallback((input: string, key: Key) => dispatchKey(input, key, latest.current), []);
  useInput(onKey);

  if (tooSmall(size))
    return (
      <Text wrap="truncate-end">
        terminal too small: {size.columns}×{size.rows}, gantry needs {MIN_COLUMNS}×{MIN_ROWS} — enlarge it (q leaves)
      </Text>
    );
  const screen = s.screens.at(-1) ?? 'runs';
  const bindings = bindingsFor(s, ctx);
  const body = s.help ? (
    <HelpScreen screen={screen} bindings={bindings} size={size} />
  ) : screen === 'runs' ? (
    <RunsScreen s={s} size={size} now={now} bindings={bindings} />
  ) : screen === 'cockpit' ? (
    <CockpitScreen s={s} size={size} now={now} bindings={bindings} />
  ) : screen === 'gate' ? (
    <GateScreen s={s} size={size} bindings={bindings} />
  ) : screen === 'sweep' ? (
    <SweepScreen s={s} size={size} now={now} bindings={bindings} />
  ) : (
    <LogScreen s={s} size={size} bindings={bindings} />
  );
  return (
    <ColourProvider value={s.colour}>
      <Box width={size.columns} height={size.rows - 1}>
        {body}
      </Box>
    </ColourProvider>
  );
}
