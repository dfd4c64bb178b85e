import { render } from 'ink-testing-library';
import { ConsoleApp } from '../../screens/app.js';
import type { EngineEvent } from '../../contracts/events.js';
import type { EngineCommands } from '../../state/engine-commands.js';
import type { ConsoleStore } from '../../state/store.js';

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  pgup: '\x1b[5~',
  pgdn: '\x1b[6~',
  backspace: '\x7f',
  ctrlS: '\x13',
  ctrlC: '\x03',
};

export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** Records what the screens asked of the engine. */
export function recordingCommands() {
  const calls: { name: keyof EngineCommands; args: unknown[] }[] = [];
  const rec =
    (name: keyof EngineCommands) =>
    (...args: unknown[]) =>
      void calls.push({ name, args });
  const commands: EngineCommands = {
    answerGate: rec('answerGate'),
    saveLog: rec('saveLog'),
    openPacket: rec('openPacket'),
    openRun: rec('openRun'),
    closeRun: rec('closeRun'),
    quit: rec('quit'),
    interrupt: rec('interrupt'),
    answerQuestion: rec('answerQuestion'),
  };
  return { commands, calls, called: (name: keyof EngineCommands) => calls.filter((c) => c.name === name).map((c) => c.args) };
}

/** Feeds events and log lines into the store as the engine would (one batch). */
export function feed(store: ConsoleStore, events: EngineEvent[], lines: Record<string, string[]> = {}) {
  store.getState().ingest({ events, lines: Object.entries(lines).map(([key, texts]) => ({ key, texts, ts: Date.parse('2025-01-01T12:34:56.789Z'), dropped: 0 })) });
}

/** Renders the console at a terminal size, the way Ink sees a real terminal (columns, rows, resize events). */
export async function renderConsole(store: ConsoleStore, opts: { columns?: number; rows?: number; commands?: EngineCommands } = {}) {
  const rec = recordingCommands();
  const app = render(<ConsoleApp store={store} commands={opts.commands ?? rec.commands} />);
  const resize = async (columns: number, rows: number) => {
    Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
    app.stdout.emit('resize');
    await tick();
  };
  await resize(opts.columns ?? 120, opts.rows ?? 40);
  const frame = () => app.lastFrame() ?? '';
  /** Types keys one at a time, letting the app render between them. */
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await tick();
    }
  };
  /** Waits (up to 3 s) until the frame shows what `pred` wants; fails with the last frame. */
  const until = async (pred: (f: string) => boolean, what = 'frame') => {
    const end = Date.now() + 3000;
    while (Date.now() < end) {
      if (pred(frame())) return frame();
      await tick(15);
    }
    throw new Error(`timed out waiting for ${what}; last frame:\n${frame()}`);
  };
  return { app, frame, press, resize, until, ...rec };
}
