import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { split as shellSplit } from 'shlex';
import { ExitCode } from '../../contracts/errors.js';
import type { EngineEvent } from '../../contracts/events.js';
import type { Workspace } from '../config/workspace.js';
import type { GateAnswerer } from '../engine/answers.js';
import { writeFileAtomic } from '../records/atomic.js';
import { readEvents } from '../records/event-log.js';
import { postAnswer } from '../records/inbox.js';
import { redactString } from '../records/redact.js';
import { runPaths, type RunPaths } from '../records/run-paths.js';
import { existingRun } from '../records/run-store.js';
import type { EngineCommands } from '../../state/engine-commands.js';
import { createFeed, type Feed } from '../../state/feed.js';
import { createConsoleStore, type ConsoleStore, type ScreenId } from '../../state/store.js';
import { consoleAnswerer } from './console/console-answerer.js';
import { guardHeap } from './console/heap-guard.js';
import { runSummaries } from './console/run-summaries.js';
import { eventSink, followRun, type Follower } from './console/run-follower.js';
import { watchRunFiles } from './console/run-files.js';
import { runHasOwner } from './console/run-owner.js';
import { holdAlternateScreen, type ScreenHold } from './console/terminal.js';
import type { CliContext } from './context.js';
import { reporter } from './reporter.js';

/**
 * The console's composition root: the only module that loads Ink, React and the screens (dynamically,
 * so headless commands never pay for them). It wires a zustand store to engine events (a run of this
 * process, or another's events.jsonl), to log files, and to the terminal.
 */

/** What `gantry run` and `gantry flow` get when they open the cockpit of the run they execute. */
export interface Cockpit {
  /** The run's event listener: pass it to createRun/openRun (or runFlow) instead of the plain reporter. */
  listener: (e: EngineEvent) => void;
  /** Gate answers from the packet screen (f / x). Race it with external answers: answerPlan(...)(paths, cockpit.answerer). */
  answerer: GateAnswerer;
  /** Give this to the engine: aborts on SIGINT/SIGTERM and on Ctrl-C in the cockpit (run recorded CANCELED). */
  signal: AbortSignal;
  /** Resolves when the user leaves (q) — at once after Ctrl-C, a signal, or an early leave. Await it after the run. */
  untilLeft(): Promise<void>;
  /** Restores the terminal and stops following. Idempotent; call it in a finally. */
  close(): Promise<void>;
  /** Asks yes/no in the console (a consent, an unknown host key); no once the console is closed. */
  confirm(question: string): Promise<boolean>;
  /** Asks for a secret in the console, shown masked (a key passphrase); undefined if declined or closed. */
  secret(question: string): Promise<string | undefined>;
}

/**
 * Opens the cockpit for a run this process is about to execute (or resume). The run is attached by its
 * first event: the events recorded before it are read from its events.jsonl, then its logs are tailed.
 * If the user leaves while the run goes on, its events go to `fallback` (default: plain lines).
 */
export async function openCockpit(opts: { ctx: CliContext; fallback?: (e: EngineEvent) => void }): Promise<Cockpit> {
  const { ctx } = opts;
  const ws = ctx.workspace();
  const session = new ConsoleSession(ctx, ws);
  session.answeredBy = `console (${userInfo().username}@${hostname()})`;
  const answers = consoleAnswerer(session.answeredBy);
  const abort = new AbortController();
  const signal = AbortSignal.any([ctx.signal, abort.signal]);
  const sink = eventSink(session.feed);
  let forward = sink;
  let runId: string | undefined;
  let finished = false;
  session.store.getState().attach('owned', ['cockpit']);
  // A gate this console is not asked about (--approvals external) still takes its answer, through the inbox.
  session.answer = (gate, attempt, a) => void (answers.give(gate, attempt, a) || session.postToOwner(gate, attempt, a));
  session.onInterrupt = () => {
    if (abort.signal.aborted || finished || !runId) return session.quit();
    abort.abort('SIGINT');
    session.store.getState().setClosing('canceling the run (remote tasks are left running)… Ctrl-C again leaves at once');
  };
  const listener = (e: EngineEvent) => {
    if (runId === undefined) {
      runId = e.run_id;
      const paths = runPaths(ws.runsDir, runId);
      for (const earlier of readEvents(paths.events)) if (earlier.seq < e.seq) sink(earlier);
      session.watchRunFolder(paths, false);
    }
    if (e.type === 'run.finished') finished = true;
    forward(e);
  };
  await session.mount();
  const left = Promise.race([session.left, abortedPromise(ctx.signal)]).then(async () => {
    await session.close();
    forward = opts.fallback ?? reporter(false, ctx.out);
    if (runId && !finished)
      ctx.out(`console closed; run ${runId} goes on here. Answer its gates from any shell with \`gantry gate finish|fail --run ${runId} --gate <G>\`.`);
  });
  return {
    listener,
    answerer: answers.answerer,
    signal,
    untilLeft: async () => {
      if (abort.signal.aborted) session.quit();
      await left;
    },
    close: async () => {
      session.quit();
      await left;
    },
    confirm: async (question) => (await session.ask('question', question)) === true,
    secret: async (question) => {
      const answer = await session.ask('secret', question);
      return typeof answer === 'string' ? answer : undefined;
    },
  };
}

/** `gantry watch <run>` in a terminal: the cockpit of a run another process executes. Returns when the user leaves. */
export async function watchConsole(ctx: CliContext, runId: string): Promise<number> {
  const session = new ConsoleSession(ctx, ctx.workspace());
  session.follow(runId, ['cockpit']);
  return session.runUntilLeft();
}

/** `gantry` in a terminal: the runs screen; Enter follows a run in the cockpit. */
export async function runsConsole(ctx: CliContext): Promise<number> {
  const ws = ctx.workspace();
  const session = new ConsoleSession(ctx, ws);
  session.store.getState().attach('browse', ['runs']);
  const summaries = runSummaries(ws.runsDir);
  const refresh = () => session.store.getState().setRuns(summaries(), ws.runsDir);
  refresh();
  const timer = setInterval(refresh, 1500);
  timer.unref();
  try {
    return await session.runUntilLeft();
  } finally {
    clearInterval(timer);
  }
}

type Answer = Parameters<EngineCommands['answerGate']>[2];

/** One open console: its store, the batching feed into it, what it follows, and the Ink surface. */
class ConsoleSession implements EngineCommands {
  readonly store: ConsoleStore;
  readonly feed: Feed;
  /** Gate answers: to this process's engine (owned run) or, by default, to the owner's inbox. */
  answer: (gate: string, attempt: number, a: Answer) => void = (gate, attempt, a) => this.postToOwner(gate, attempt, a);
  onInterrupt: () => void = () => this.quit();
  /** Who answers, as the run's record will say. */
  answeredBy = `${userInfo().username}@${hostname()} (gantry watch)`;
  readonly left: Promise<void>;
  private resolveLeft!: () => void;
  private paths: RunPaths | undefined;
  private following: { stop(): void }[] = [];
  private surface: Surface | undefined;
  /** The engine's open question, waiting for answerQuestion. */
  private question: ((answer: boolean | string | undefined) => void) | undefined;

  constructor(
    private readonly ctx: CliContext,
    private readonly ws: Workspace,
  ) {
    this.store = createConsoleStore({ colour: !ctx.env.NO_COLOR });
    this.feed = createFeed(this.store);
    this.left = new Promise((resolve) => (this.resolveLeft = resolve));
  }

  async mount(): Promise<void> {
    this.surface = await mountSurface(this.store, this, () => this.quit());
  }

  async runUntilLeft(): Promise<number> {
    await this.mount();
    await Promise.race([this.left, abortedPromise(this.ctx.signal)]);
    await this.close();
    return this.ctx.signal.aborted ? ExitCode.INTERRUPTED : ExitCode.OK;
  }

  /** Follows another process's run: its events, logs and files. */
  follow(runId: string, screens: ScreenId[]): void {
    this.unfollow();
    const paths = existingRun(this.ws.runsDir, runId);
    this.store.getState().attach('watch', screens);
    this.watchRunFolder(paths, true);
    const owner = setInterval(() => {
      const s = this.store.getState();
      s.setOwnerGone(s.run?.status === 'RUNNING' && !runHasOwner(paths));
    }, 1000);
    owner.unref();
    this.following.push({ stop: () => clearInterval(owner) });
  }

  watchRunFolder(paths: RunPaths, events: boolean): void {
    this.paths = paths;
    const follower: Follower = followRun(paths, this.feed, { events });
    this.following.push(follower, watchRunFiles(this.store, this.ws, paths.dir));
  }

  private unfollow(): void {
    for (const f of this.following) f.stop();
    this.following = [];
    // What is still batched belongs to the run being left.
    this.feed.flush();
  }

  async close(): Promise<void> {
    this.unfollow();
    this.feed.close();
    this.surface?.close();
    this.surface = undefined;
    this.answerQuestion(undefined);
  }

  /** Puts the engine's question on the status line; a newer question declines an older one. */
  ask(kind: 'question' | 'secret', label: string): Promise<boolean | string | undefined> {
    this.answerQuestion(undefined);
    if (!this.surface) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.question = resolve;
      this.store.getState().startPrompt(kind, '', label);
    });
  }

  answerQuestion(answer: boolean | string | undefined): void {
    const q = this.question;
    this.question = undefined;
    q?.(answer);
  }

  // EngineCommands: what the screens may ask.
  answerGate(gate: string, attempt: number, a: Answer): void {
    this.answer(gate, attempt, a);
  }

  postToOwner(gate: string, attempt: number, a: Answer): void {
    if (!this.paths) return;
    postAnswer(this.paths, gate, attempt, { action: a.action, reason: a.action === 'fail' ? a.reason : null, by: this.answeredBy });
    this.store.getState().setNotice(`${a.action} of ${gate} sent to the process running the run; waiting for its result…`);
  }

  saveLog(key: string, lines: string[]): void {
    if (!this.paths) return;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const rel = join('saved', `${key.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}.log`);
    try {
      const path = join(this.paths.logs, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileAtomic(path, redactString(lines.join('\n') + '\n'));
      this.store.getState().setNotice(`saved ${lines.length.toLocaleString('en-US')} lines to ${join('logs', rel)}`);
    } catch (e) {
      this.store.getState().setNotice(`could not save the log: ${(e as Error).message}`);
    }
  }

  openPacket(packetPath: string, program: 'pager' | 'editor'): void {
    if (!this.paths || !this.surface) return;
    const env = this.ctx.env;
    const command = program === 'pager' ? env.PAGER || 'less' : env.VISUAL || env.EDITOR || 'vi';
    const [bin, ...args] = shellSplit(command);
    if (!bin) return this.store.getState().setNotice(`$${program === 'pager' ? 'PAGER' : 'EDITOR'} is empty`);
    const surface = this.surface;
    surface.suspend();
    void execa(bin, [...args, join(this.paths.dir, packetPath)], { stdio: 'inherit', reject: false }).then(async (r) => {
      await surface.resume();
      if (r.failed && r.exitCode === undefined) this.store.getState().setNotice(`could not start ${bin}: ${r.shortMessage}`);
    });
  }

  openRun(runId: string): void {
    this.follow(runId, ['runs', 'cockpit']);
  }

  closeRun(): void {
    this.unfollow();
    this.paths = undefined;
    this.store.getState().attach('browse', ['runs']);
  }

  quit(): void {
    this.resolveLeft();
  }

  interrupt(): void {
    this.onInterrupt();
  }
}

function abortedPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

/** The mounted Ink app on the alternate screen. */
interface Surface {
  /** Hands the terminal to another program (a pager): unmounts and leaves the alternate screen. */
  suspend(): void;
  resume(): Promise<void>;
  close(): void;
}

/**
 * Renders the console with Ink on the alternate screen, at most 30 frames a second, each frame one
 * synchronized write. (Ink 6.8's incrementalRendering is left off: with a frame shorter than the
 * screen it moves the cursor one row too far and the frames drift.) Ink and React are imported here
 * and nowhere else.
 */
async function mountSurface(store: ConsoleStore, commands: EngineCommands, onCrash: () => void): Promise<Surface> {
  const [{ render }, { createElement }, { ConsoleApp }] = await withoutCiDetection(() =>
    Promise.all([import('ink'), import('react'), import('../../screens/app.js')]),
  );
  const statsFile = process.env.GANTRY_CONSOLE_STATS;
  const heap = guardHeap();
  let frames = 0;
  let renderMs = 0;
  let hold: ScreenHold | undefined;
  let unmount: (() => void) | undefined;
  const start = () => {
    hold = holdAlternateScreen(process.stdin, ExitCode.INTERNAL);
    const instance = render(createElement(ConsoleApp, { store, commands }), {
      exitOnCtrlC: false,
      maxFps: 30,
      onRender: ({ renderTime }) => {
        frames++;
        renderMs += renderTime;
      },
    });
    instance.waitUntilExit().catch((e: unknown) => {
      // A render error: Ink has unmounted; leave the console and let the command report it.
      hold?.release();
      process.stderr.write(`gantry: the console failed: ${(e as Error)?.message ?? String(e)}\n`);
      onCrash();
    });
    unmount = () => instance.unmount();
  };
  const stop = () => {
    unmount?.();
    unmount = undefined;
    hold?.release();
    hold = undefined;
  };
  start();
  return {
    suspend: stop,
    resume: async () => start(),
    close: () => {
      stop();
      heap.stop();
      if (statsFile) {
        const lines = Object.fromEntries([...store.getState().logs].map(([k, r]) => [k, r.total]));
        writeFileSync(statsFile, JSON.stringify({ frames, renderMs, lines }) + '\n');
      }
    },
  };
}

/**
 * Ink renders nothing live when it believes it runs in CI (it checks $CI once, at import). The console
 * only opens on a real terminal, so CI variables inherited by that terminal must not blank it. React
 * is loaded as its production build unless NODE_ENV says otherwise (the development build renders
 * several times slower and keeps more memory).
 */
async function withoutCiDetection<T>(load: () => Promise<T>): Promise<T> {
  process.env.NODE_ENV ??= 'production';
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}
