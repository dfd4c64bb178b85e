import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent, EventOf } from '../contracts/events.js';
import type { RunRecord } from '../contracts/run.js';
import { DEFAULT_RING_CAPACITY, LineRing } from './line-ring.js';
import { clampLine, findMatch } from './log-view.js';
import { sanitizeLine } from './sanitize.js';
import { foldBatch } from './fold-batch.js';
import { activeStep, currentLogKey } from './selectors.js';

export type ScreenId = 'runs' | 'cockpit' | 'gate' | 'sweep' | 'log';
/** `question` (y/N) and `secret` (typed, shown masked) are asked by the engine: a consent, a host key, a passphrase. */
export type PromptKind = 'search' | 'filter' | 'fail-reason' | 'confirm-quit' | 'question' | 'secret';
/** How the console holds its run: this process runs it, follows another process's run, or only lists runs. */
export type AttachMode = 'owned' | 'watch' | 'browse';

export interface StepRef {
  id: string;
  name: string;
  kind: string;
}

export interface GateOutput {
  path: string;
  exists: boolean;
}

/** A gate as its packet screen shows it. */
export interface GateDetail {
  gate: string;
  attempt: number;
  /** Prompt packet path, relative to the run folder. */
  packetPath: string;
  packet: string | null;
  answerWith: string[];
  outputs: GateOutput[];
  /** An answer given from this console, until the gate's result arrives. */
  answered: 'finish' | 'fail' | null;
}

export interface SweepRow {
  /** The step that reported the row last. */
  step: string;
  /** Every step that reported it (the sweep launches a row, the monitor sees it finish). */
  steps: string[];
  row: string;
  status: string;
  firstSeen: number;
  startedAt: number | null;
  endedAt: number | null;
  log: string | null;
  message: string | null;
}

export interface RunSummary {
  run_id: string;
  workflow: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  current: string | null;
}

export type CourtVerdict = EventOf<'court.verdict'>;

export interface LogViewState {
  follow: boolean;
  /** Line at the bottom of the pane while paused. */
  bottom: number | null;
  wrap: boolean;
  timestamps: boolean;
  query: string;
  /** The line the last search landed on. */
  match: number | null;
}

/** What reaches the store in one flush: engine events, then log lines by log key. */
export interface Batch {
  events: EngineEvent[];
  lines: { key: string; texts: string[]; ts: number; dropped: number }[];
  /** Log rings were appended to directly (file tails) since the last batch. */
  logsTouched?: boolean;
}

/** The log key of a step's log (logs/steps/<id>.log). */
export const stepLogKey = (step: string) => `steps/${step}`;
/** The log key of a file under the run's logs/ folder: its relative path without `.log`. */
export const logKeyOf = (relPath: string) => relPath.replace(/\.log$/, '');
/** The log of the run's own events, rendered as plain lines. */
export const EVENTS_LOG = 'events';

export interface ConsoleData {
  run: RunRecord | null;
  steps: StepRef[];
  header: Record<string, string>;
  verdicts: Record<string, CourtVerdict>;
  /** Remediation text per step, from its verdict file. */
  remediation: Record<string, string>;
  /** The last error recorded per step. */
  errors: Record<string, string>;
  gates: Record<string, GateDetail>;
  sweep: SweepRow[];
  runVersion: number;
  logs: Map<string, LineRing>;
  logVersion: number;
  runs: RunSummary[];
  /** Where the runs listed live (for the empty-list hint). */
  runsDir: string;
  mode: AttachMode;
  /** Set when no process holds a followed run that is still RUNNING (it died, or only gate commands drive it). */
  ownerGone: boolean;
  notice: string | null;
  /** Set while the console winds down (cancel requested, leaving). */
  closing: string | null;
  colour: boolean;
  ringCapacity: number;
}

export interface ConsoleUi {
  screens: ScreenId[];
  help: boolean;
  focus: 'pipeline' | 'log';
  selected: string | null;
  /** The user moved the selection; it no longer follows the active step. */
  pinned: boolean;
  /** Log shown by the log screen (a sweep row's), or null for the selected step's. */
  logKey: string | null;
  /** Cockpit log pane shows the run's events instead of the step's log. */
  showEvents: boolean;
  log: LogViewState;
  marks: Record<string, number[]>;
  /** The open prompt: what is typed (`value`), and for the engine's questions the question (`label`). */
  prompt: { kind: PromptKind; value: string; label?: string } | null;
  runsFilter: string;
  runsSelected: number;
  sweepSelected: number;
  packetScroll: number;
  /** The gate the packet screen shows. */
  gateShown: string | null;
}

export interface StoreActions {
  ingest(batch: Batch): void;
  /** The ring of a log, created on first use. Appending to it shows on screen with the next batch. */
  logRing(key: string): LineRing;
  /** Starts over with a new run (or none), on the given screen stack. */
  attach(mode: AttachMode, screens: ScreenId[]): void;
  setRuns(runs: RunSummary[], runsDir: string): void;
  setGatePacket(gate: string, packet: string): void;
  setGateOutputs(gate: string, outputs: GateOutput[]): void;
  setRemediation(step: string, text: string): void;
  markAnswered(gate: string, action: 'finish' | 'fail'): void;
  setOwnerGone(gone: boolean): void;
  setNotice(text: string | null): void;
  setClosing(text: string | null): void;
  open(screen: ScreenId): void;
  openGate(gate: string): void;
  back(): void;
  toggleHelp(): void;
  toggleFocus(): void;
  toggleEvents(): void;
  moveSelection(delta: number): void;
  openLog(key: string): void;
  scrollLog(delta: number): void;
  logTop(): void;
  followLog(): void;
  toggleFollow(): void;
  toggleWrap(): void;
  toggleTimestamps(): void;
  toggleMark(): void;
  /** Looks for `query` from the newest line up, landing on the newest match. */
  search(query: string): void;
  searchNext(direction: -1 | 1): void;
  startPrompt(kind: PromptKind, value?: string, label?: string): void;
  editPrompt(value: string): void;
  closePrompt(): void;
  setRunsFilter(filter: string): void;
  moveRunsSelection(delta: number, count: number): void;
  moveSweepSelection(delta: number): void;
  scrollPacket(delta: number, max: number): void;
}

export type ConsoleState = ConsoleData & ConsoleUi & StoreActions;
export type ConsoleStore = StoreApi<ConsoleState>;

const freshLog = (): LogViewState => ({ follow: true, bottom: null, wrap: false, timestamps: false, query: '', match: null });

function emptyRun(): Omit<ConsoleData, 'runs' | 'runsDir' | 'mode' | 'colour' | 'ringCapacity' | 'notice' | 'closing'> {
  return {
    run: null,
    steps: [],
    header: {},
    verdicts: {},
    remediation: {},
    errors: {},
    gates: {},
    sweep: [],
    runVersion: 0,
    logs: new Map(),
    logVersion: 0,
    ownerGone: false,
  };
}

export function createConsoleStore(opts: { colour?: boolean; ringCapacity?: number } = {}): ConsoleStore {
  return createStore<ConsoleState>()((set, get) => {
    const ring = (key: string): LineRing | undefined => get().logs.get(key);
    const currentRing = () => {
      const key = currentLogKey(get());
      return key ? ring(key) : undefined;
    };
    const setLog = (patch: Partial<LogViewState>) => set({ log: { ...get().log, ...patch } });
    /** Pauses the view where it is, so scrolling starts from what the user sees. */
    const pausedBottom = (): number => {
      const s = get();
      const r = currentRing();
      return r ? clampLine(r, s.log.bottom ?? r.last) : -1;
    };

    return {
      ...emptyRun(),
      runs: [],
      runsDir: '',
      mode: 'browse',
      notice: null,
      closing: null,
      colour: opts.colour ?? true,
      ringCapacity: opts.ringCapacity ?? DEFAULT_RING_CAPACITY,
      screens: ['runs'],
      help: false,
      focus: 'pipeline',
      selected: null,
      pinned: false,
      logKey: null,
      showEvents: false,
      log: freshLog(),
      marks: {},
      prompt: null,
      runsFilter: '',
      runsSelected: 0,
      sweepSelected: 0,
      packetScroll: 0,
      gateShown: null,

      ingest(batch) {
        const s = get();
        const patch: Partial<ConsoleState> = {};
        if (batch.events.length) Object.assign(patch, foldBatch(s, batch.events));
        for (const chunk of batch.lines) s.logRing(chunk.key).pushMany(chunk.texts, chunk.ts, chunk.dropped);
        if (batch.lines.length || batch.logsTouched) patch.logVersion = s.logVersion + 1;
        set(patch);
      },
      logRing(key) {
        const s = get();
        let r = s.logs.get(key);
        if (!r) s.logs.set(key, (r = new LineRing(s.ringCapacity, (t) => sanitizeLine(t, s.colour))));
        return r;
      },

      attach(mode, screens) {
        set({
          ...emptyRun(),
          mode,
          screens,
          selected: null,
          pinned: false,
          logKey: null,
          showEvents: false,
          log: freshLog(),
          marks: {},
          gateShown: null,
          packetScroll: 0,
          sweepSelected: 0,
          help: false,
          prompt: null,
          notice: null,
        });
      },
      setRuns: (runs, runsDir) => set({ runs, runsDir, runsSelected: Math.min(get().runsSelected, Math.max(0, runs.length - 1)) }),
      setGatePacket(gate, packet) {
        const g = get().gates[gate];
        if (g) set({ gates: { ...get().gates, [gate]: { ...g, packet } } });
      },
      setGateOutputs(gate, outputs) {
        const g = get().gates[gate];
        if (!g || sameOutputs(g.outputs, outputs)) return;
        set({ gates: { ...get().gates, [gate]: { ...g, outputs } } });
      },
      setRemediation: (step, text) => set({ remediation: { ...get().remediation, [step]: text } }),
      markAnswered(gate, action) {
        const g = get().gates[gate];
        if (g) set({ gates: { ...get().gates, [gate]: { ...g, answered: action } } });
      },
      setOwnerGone: (ownerGone) => {
        if (get().ownerGone !== ownerGone) set({ ownerGone });
      },
      setNotice: (notice) => set({ notice }),
      setClosing: (closing) => set({ closing }),

      open: (screen) => set({ screens: [...get().screens, screen], help: false }),
      openGate: (gate) => set({ screens: [...get().screens, 'gate'], gateShown: gate, packetScroll: 0, help: false }),
      back() {
        const s = get();
        if (s.help) return set({ help: false });
        if (s.screens.length > 1) set({ screens: s.screens.slice(0, -1), logKey: s.screens.at(-1) === 'log' ? null : s.logKey, log: s.screens.at(-1) === 'log' ? freshLog() : s.log });
      },
      toggleHelp: () => set({ help: !get().help }),
      toggleFocus: () => set({ focus: get().focus === 'pipeline' ? 'log' : 'pipeline' }),
      toggleEvents: () => set({ showEvents: !get().showEvents, log: { ...freshLog(), wrap: get().log.wrap, timestamps: get().log.timestamps } }),
      moveSelection(delta) {
        const s = get();
        if (!s.steps.length) return;
        const at = Math.max(0, s.steps.findIndex((x) => x.id === s.selected));
        const next = s.steps[Math.min(s.steps.length - 1, Math.max(0, at + delta))]!.id;
        if (next === s.selected) return;
        set({ selected: next, pinned: next !== activeStep(s), log: { ...freshLog(), wrap: s.log.wrap, timestamps: s.log.timestamps } });
      },
      openLog(key) {
        const s = get();
        set({ logKey: key, screens: [...s.screens, 'log'], log: { ...freshLog(), wrap: s.log.wrap, timestamps: s.log.timestamps } });
      },
      scrollLog(delta) {
        const r = currentRing();
        if (!r || r.last < 0) return;
        const bottom = clampLine(r, pausedBottom() + delta);
        // Scrolling down onto the newest line resumes following, as in `less +F`.
        if (delta > 0 && bottom >= r.last) setLog({ follow: true, bottom: null });
        else setLog({ follow: false, bottom });
      },
      logTop() {
        const r = currentRing();
        if (r && r.last >= 0) setLog({ follow: false, bottom: r.first });
      },
      followLog: () => setLog({ follow: true, bottom: null }),
      toggleFollow() {
        if (get().log.follow) setLog({ follow: false, bottom: pausedBottom() });
        else setLog({ follow: true, bottom: null });
      },
      toggleWrap: () => setLog({ wrap: !get().log.wrap }),
      toggleTimestamps: () => setLog({ timestamps: !get().log.timestamps }),
      toggleMark() {
        const key = currentLogKey(get());
        const n = pausedBottom();
        if (!key || n < 0) return;
        const now = get().marks[key] ?? [];
        const marks = now.includes(n) ? now.filter((x) => x !== n) : [...now, n].sort((a, b) => a - b);
        set({ marks: { ...get().marks, [key]: marks }, notice: `${now.includes(n) ? 'unmarked' : 'marked'} line ${n + 1}` });
      },
      search(query) {
        const r = currentRing();
        set({ log: { ...get().log, query, match: null } });
        if (!query || !r) return;
        // A new search starts at the newest line and lands on the newest match.
        const hit = findMatch(r, query, r.last, -1);
        if (hit === undefined) set({ notice: `no match for "${query}"` });
        else set({ log: { ...get().log, follow: false, bottom: hit, match: hit }, notice: null });
      },
      searchNext(direction) {
        const s = get();
        const r = currentRing();
        if (!r || !s.log.query) return;
        const from = s.log.match === null ? pausedBottom() : s.log.match + direction;
        const hit = findMatch(r, s.log.query, from, direction);
        if (hit === undefined) return set({ notice: `no ${direction < 0 ? 'earlier' : 'later'} match for "${s.log.query}"` });
        set({ log: { ...s.log, follow: false, bottom: hit, match: hit }, notice: null });
      },
      startPrompt: (kind, value = '', label) => set({ prompt: { kind, value, label }, notice: null, help: false }),
      editPrompt(value) {
        const p = get().prompt;
        if (!p) return;
        set({ prompt: { ...p, value }, notice: null });
        if (p.kind === 'filter') set({ runsFilter: value, runsSelected: 0 });
      },
      closePrompt: () => set({ prompt: null }),
      setRunsFilter: (runsFilter) => set({ runsFilter, runsSelected: 0 }),
      moveRunsSelection(delta, count) {
        set({ runsSelected: Math.min(Math.max(0, count - 1), Math.max(0, get().runsSelected + delta)) });
      },
      moveSweepSelection(delta) {
        const s = get();
        set({ sweepSelected: Math.min(Math.max(0, s.sweep.length - 1), Math.max(0, s.sweepSelected + delta)) });
      },
      scrollPacket(delta, max) {
        set({ packetScroll: Math.min(Math.max(0, max), Math.max(0, get().packetScroll + delta)) });
      },
    };
  });
}

function sameOutputs(a: GateOutput[], b: GateOutput[]): boolean {
  return a.length === b.length && a.every((o, i) => o.path === b[i]!.path && o.exists === b[i]!.exists);
}
