import type { Key } from 'ink';
import type { EngineCommands } from '../state/engine-commands.js';
import { clockTime } from '../state/log-view.js';
import { currentLogKey, filteredRuns, leavingStrandsGate, waitingGate } from '../state/selectors.js';
import { stripColour } from '../state/sanitize.js';
import { logKeyOf, type ConsoleState, type ConsoleStore } from '../state/store.js';
import { keyName, typedText } from './keys.js';
import { cockpitLayout, paneLayout, textRows } from './layout.js';
import type { TerminalSize } from './use-terminal-size.js';

/** One entry of a screen's command map: the keys, what the footer and help say, what it does. */
export interface Binding {
  keys: string[];
  /** How the keys are shown, when not simply the first key. */
  hint?: string;
  label: string;
  help: string;
  footer?: boolean;
  run(): void;
}

export interface BindingContext {
  store: ConsoleStore;
  commands: EngineCommands;
  size: TerminalSize;
}

/**
 * The one key dispatcher: Ctrl-C first, then an open prompt takes the keys, then the help overlay,
 * then the command map of the screen on top. No component listens to keys on its own.
 */
export function dispatchKey(input: string, key: Key, ctx: BindingContext): void {
  // Keys typed faster than they are read arrive together (as a paste does): each is a key of its own,
  // so a key that opens a prompt hands the ones after it to that prompt.
  if (input.length > 1 && !input.includes('\x1b') && !key.ctrl && !key.meta) {
    for (const ch of input) dispatch(CHAR_NAMES[ch] ?? ch, typedText(ch, key), ctx);
    return;
  }
  dispatch(keyName(input, key), typedText(input, key), ctx);
}

const CHAR_NAMES: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace' };

function dispatch(name: string | null, text: string, ctx: BindingContext): void {
  const s = ctx.store.getState();
  if (name === 'ctrl-c') return ctx.commands.interrupt();
  if (s.prompt) return promptKey(s, name, text, ctx);
  if (s.help) {
    if (name === '?' || name === 'esc' || name === 'q') s.toggleHelp();
    return;
  }
  if (name === null) return;
  bindingsFor(s, ctx)
    .find((b) => b.keys.includes(name))
    ?.run();
}

function promptKey(s: ConsoleState, name: string | null, text: string, ctx: BindingContext): void {
  const p = s.prompt!;
  const yes = name === 'y' || name === 'Y';
  if (p.kind === 'confirm-quit' || p.kind === 'question') {
    s.closePrompt();
    if (p.kind === 'question') ctx.commands.answerQuestion(yes);
    else if (yes) ctx.commands.quit();
    return;
  }
  if (name === 'esc') {
    if (p.kind === 'filter') s.setRunsFilter('');
    if (p.kind === 'secret') ctx.commands.answerQuestion(undefined);
    return s.closePrompt();
  }
  if (name === 'enter') return submitPrompt(s, ctx);
  if (name === 'backspace') return s.editPrompt(p.value.slice(0, -1));
  if (text) s.editPrompt(p.value + text);
}

function submitPrompt(s: ConsoleState, ctx: BindingContext): void {
  const p = s.prompt!;
  if (p.kind === 'search') {
    s.closePrompt();
    return s.search(p.value);
  }
  if (p.kind === 'secret') {
    s.closePrompt();
    return ctx.commands.answerQuestion(p.value);
  }
  if (p.kind === 'fail-reason') {
    const reason = p.value.trim();
    if (!reason) return s.setNotice('type the reason the gate fails, then enter (esc cancels)');
    s.closePrompt();
    const g = s.gateShown ? s.gates[s.gateShown] : undefined;
    if (!g) return;
    s.markAnswered(g.gate, 'fail');
    s.setNotice(`fail requested for ${g.gate}: ${reason}`);
    return ctx.commands.answerGate(g.gate, g.attempt, { action: 'fail', reason });
  }
  s.closePrompt();
}

/** The command map of the screen on top, after the keys every screen has. */
export function bindingsFor(s: ConsoleState, ctx: BindingContext): Binding[] {
  const screen = s.screens.at(-1) ?? 'runs';
  const map =
    screen === 'runs'
      ? runsBindings(s, ctx)
      : screen === 'cockpit'
        ? cockpitBindings(s, ctx)
        : screen === 'gate'
          ? gateBindings(s, ctx)
          : screen === 'sweep'
            ? sweepBindings(s, ctx)
            : [...logBindings(s, ctx, paneLayout(ctx.size).innerRows, true), back(s, ctx)];
  return [...map, ...globalBindings(s, ctx)];
}

function globalBindings(s: ConsoleState, ctx: BindingContext): Binding[] {
  return [
    { keys: ['?'], label: 'help', help: 'every key of this screen', footer: true, run: () => s.toggleHelp() },
    {
      keys: ['q'],
      label: 'quit',
      help: 'leave the console (asks first when a run of this process would be left waiting on a gate)',
      footer: true,
      run: () => {
        if (!leavingStrandsGate(s)) return ctx.commands.quit();
        const g = waitingGate(s)!;
        s.startPrompt('confirm-quit', `${g.gate} is waiting for an answer. Leave the console? The run keeps waiting; answer it with \`gantry gate finish|fail\`.  y/N`);
      },
    },
    {
      keys: ['ctrl-c'],
      label: 'cancel',
      help: s.mode === 'owned' ? 'cancel the run (recorded CANCELED; remote tasks are left running) and leave' : 'leave the console',
      run: () => ctx.commands.interrupt(),
    },
  ];
}

function back(s: ConsoleState, ctx: BindingContext): Binding {
  return {
    keys: ['esc'],
    label: 'back',
    help: 'back to the previous screen',
    footer: true,
    run: () => {
      if (s.screens.length === 2 && s.screens[0] === 'runs' && s.screens[1] === 'cockpit') return ctx.commands.closeRun();
      s.back();
    },
  };
}

function runsBindings(s: ConsoleState, ctx: BindingContext): Binding[] {
  const rows = filteredRuns(s);
  const page = Math.max(1, paneLayout(ctx.size).innerRows);
  return [
    { keys: ['up', 'k'], hint: '↑/↓', label: 'select', help: 'move the selection (also j/k)', footer: true, run: () => s.moveRunsSelection(-1, rows.length) },
    { keys: ['down', 'j'], hint: '↓', label: 'down', help: 'move the selection down', run: () => s.moveRunsSelection(1, rows.length) },
    { keys: ['pgup'], label: 'page up', help: 'a page up', run: () => s.moveRunsSelection(-page, rows.length) },
    { keys: ['pgdn'], label: 'page down', help: 'a page down', run: () => s.moveRunsSelection(page, rows.length) },
    {
      keys: ['enter'],
      label: 'open',
      help: 'open the selected run in the cockpit (live while it runs)',
      footer: true,
      run: () => {
        const r = rows[s.runsSelected];
        if (r) ctx.commands.openRun(r.run_id);
      },
    },
    { keys: ['/'], label: 'filter', help: 'filter runs by id, workflow, status or step', footer: true, run: () => s.startPrompt('filter', s.runsFilter) },
    { keys: ['esc'], label: 'clear filter', help: 'clear the filter', run: () => s.setRunsFilter('') },
  ];
}

function cockpitBindings(s: ConsoleState, ctx: BindingContext): Binding[] {
  const layout = cockpitLayout(ctx.size);
  const onPipeline = s.focus === 'pipeline';
  const selectedHasRows = s.sweep.some((r) => r.steps.includes(s.selected ?? ''));
  const gate = s.selected ? s.gates[s.selected] : undefined;
  const list: Binding[] = [
    { keys: ['tab'], label: onPipeline ? 'focus log' : 'focus pipeline', help: 'switch focus between the pipeline and the log pane', footer: true, run: () => s.toggleFocus() },
    {
      keys: ['up', 'k'],
      hint: '↑/↓',
      label: onPipeline ? 'step' : 'scroll',
      help: onPipeline ? 'select the previous step (also j/k)' : 'scroll the log a line up (also j/k)',
      footer: true,
      run: () => (onPipeline ? s.moveSelection(-1) : s.scrollLog(-1)),
    },
    { keys: ['down', 'j'], hint: '↓', label: 'down', help: onPipeline ? 'select the next step' : 'scroll the log a line down', run: () => (onPipeline ? s.moveSelection(1) : s.scrollLog(1)) },
    {
      keys: ['enter'],
      label: 'open',
      help: "open the selected step: a gate's packet, a sweep's rows, else its log",
      footer: true,
      run: () => {
        if (gate && s.selected) return s.openGate(s.selected);
        if (selectedHasRows) return s.open('sweep');
        if (s.focus === 'pipeline') s.toggleFocus();
      },
    },
  ];
  const waiting = waitingGate(s);
  list.push({
    keys: ['a'],
    label: waiting ? `answer ${waiting.gate}` : 'answer gate',
    help: 'open the packet of the gate waiting for an answer',
    footer: waiting !== undefined,
    run: () => (waiting ? s.openGate(waiting.gate) : s.setNotice('no gate is waiting for an answer')),
  });
  list.push({ keys: ['v'], label: s.showEvents ? 'step log' : 'run events', help: "switch the log pane between the step's log and the run's events", run: () => s.toggleEvents() });
  list.push(...logBindings(s, ctx, layout.logRows, false));
  if (s.screens.length > 1) list.push(back(s, ctx));
  return list;
}

function logBindings(s: ConsoleState, ctx: BindingContext, page: number, arrows: boolean): Binding[] {
  const list: Binding[] = [];
  if (arrows) {
    list.push(
      { keys: ['up', 'k'], hint: '↑/↓', label: 'scroll', help: 'scroll a line up (also j/k)', footer: true, run: () => s.scrollLog(-1) },
      { keys: ['down', 'j'], hint: '↓', label: 'down', help: 'scroll a line down', run: () => s.scrollLog(1) },
    );
  }
  list.push(
    { keys: ['s'], label: s.log.follow ? 'pause' : 'follow', help: 'follow the newest line, or pause where you are', footer: true, run: () => s.toggleFollow() },
    { keys: ['pgup'], hint: 'PgUp/PgDn', label: 'page', help: 'scroll the log a page up', run: () => s.scrollLog(-Math.max(1, page - 1)) },
    { keys: ['pgdn'], label: 'page down', help: 'scroll the log a page down', run: () => s.scrollLog(Math.max(1, page - 1)) },
    { keys: ['g', 'home'], label: 'top', help: 'go to the oldest line held', run: () => s.logTop() },
    { keys: ['G', 'end'], label: 'newest', help: 'go to the newest line and follow', run: () => s.followLog() },
    { keys: ['/'], label: 'search', help: 'search the log (smart case); enter jumps to the newest match', footer: true, run: () => s.startPrompt('search', '') },
    { keys: ['n'], label: 'older match', help: 'next match, going up (older lines)', run: () => s.searchNext(-1) },
    { keys: ['N'], label: 'newer match', help: 'previous match, going down (newer lines)', run: () => s.searchNext(1) },
    { keys: ['w'], label: s.log.wrap ? 'no wrap' : 'wrap', help: 'wrap long lines, or cut them at the edge', footer: true, run: () => s.toggleWrap() },
    { keys: ['t'], label: 'timestamps', help: 'show when each line arrived', run: () => s.toggleTimestamps() },
    { keys: ['m'], label: 'mark', help: 'mark (or unmark) the line at the bottom of the pane', run: () => s.toggleMark() },
    { keys: ['ctrl-s'], hint: '^S', label: 'save', help: "save the log up to the bottom of the pane into the run's logs/saved/", footer: true, run: () => saveLog(s, ctx) },
  );
  return list;
}

function saveLog(s: ConsoleState, ctx: BindingContext): void {
  const key = currentLogKey(s);
  const ring = key ? s.logs.get(key) : undefined;
  if (!key || !ring || ring.last < 0) return s.setNotice('nothing to save: the log is empty');
  const lines = ring.range(ring.first, s.log.bottom ?? ring.last).map((l) => (s.log.timestamps ? `${clockTime(l.ts)} ` : '') + stripColour(l.text));
  ctx.commands.saveLog(key, lines);
}

function gateBindings(s: ConsoleState, ctx: BindingContext): Binding[] {
  const g = s.gateShown ? s.gates[s.gateShown] : undefined;
  const status = s.run?.gates.find((x) => x.gate === s.gateShown)?.status;
  const open = g !== undefined && status === 'WAITING' && g.answered === null;
  const pane = paneLayout(ctx.size, outputsHeight(g?.outputs.length ?? 0));
  const lines = textRows(g?.packet ?? '', pane.innerWidth).length;
  const rows = pane.paneHeight - 2;
  const max = Math.max(0, lines - rows);
  const refuse = () => s.setNotice(g?.answered ? `${g.gate} was answered; waiting for its result` : `${s.gateShown} is not waiting for an answer`);
  return [
    { keys: ['up', 'k'], hint: '↑/↓', label: 'scroll', help: 'scroll the packet (also j/k)', footer: true, run: () => s.scrollPacket(-1, max) },
    { keys: ['down', 'j'], hint: '↓', label: 'down', help: 'scroll the packet down', run: () => s.scrollPacket(1, max) },
    { keys: ['pgup'], label: 'page up', help: 'a page up', run: () => s.scrollPacket(-rows, max) },
    { keys: ['pgdn'], label: 'page down', help: 'a page down', run: () => s.scrollPacket(rows, max) },
    { keys: ['g', 'home'], label: 'top', help: 'top of the packet', run: () => s.scrollPacket(-lines, max) },
    { keys: ['G', 'end'], label: 'bottom', help: 'bottom of the packet', run: () => s.scrollPacket(lines, max) },
    {
      keys: ['f'],
      label: 'finish',
      help: "finish the gate: run its contract's validations (PASS or FAIL)",
      footer: true,
      run: () => {
        if (!open || !g) return refuse();
        s.markAnswered(g.gate, 'finish');
        s.setNotice(`finish requested for ${g.gate}: running its validations…`);
        ctx.commands.answerGate(g.gate, g.attempt, { action: 'finish' });
      },
    },
    { keys: ['x'], label: 'fail', help: 'fail the gate with a reason you type', footer: true, run: () => (open ? s.startPrompt('fail-reason') : refuse()) },
    { keys: ['o'], label: 'pager', help: 'open the packet in $PAGER', footer: true, run: () => g && ctx.commands.openPacket(g.packetPath, 'pager') },
    { keys: ['e'], label: 'editor', help: 'open the packet in $EDITOR', run: () => g && ctx.commands.openPacket(g.packetPath, 'editor') },
    back(s, ctx),
  ];
}

/** Rows the required-outputs box of the packet screen takes. */
export const outputsHeight = (count: number) => Math.min(8, Math.max(1, count) + 3);

function sweepBindings(s: ConsoleState, ctx: BindingContext): Binding[] {
  const row = s.sweep[s.sweepSelected];
  return [
    { keys: ['up', 'k'], hint: '↑/↓', label: 'select', help: 'move the selection (also j/k)', footer: true, run: () => s.moveSweepSelection(-1) },
    { keys: ['down', 'j'], hint: '↓', label: 'down', help: 'move the selection down', run: () => s.moveSweepSelection(1) },
    {
      keys: ['enter'],
      label: 'open log',
      help: "open the selected row's log",
      footer: true,
      run: () => (row?.log ? s.openLog(logKeyOf(row.log)) : s.setNotice(row ? `row ${row.row} has no log yet` : 'no rows yet')),
    },
    back(s, ctx),
  ];
}
