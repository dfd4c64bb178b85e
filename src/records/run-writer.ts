import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DURABLE_EVENT_TYPES } from '../../contracts/durable-events.js';
import type { EngineEvent, EventInput } from '../../contracts/events.js';
import type { RunRecord } from '../../contracts/run.js';
import { writeJsonAtomic } from './atomic.js';
import { EventLog } from './event-log.js';
import { applyEvent, foldEvents, trimmed } from './fold.js';
import type { Lock } from './lock.js';
import { redactString } from './redact.js';
import type { RunPaths } from './run-paths.js';

const FLUSH_MS = 250;

export type EventListener = (e: EngineEvent) => void;

/**
 * The one writer of a run: appends events, keeps RUN.json folded from them, writes attempt, evidence
 * and log files. Everything it writes is redacted.
 */
export class RunWriter {
  readonly runId: string;
  readonly paths: RunPaths;
  private readonly log: EventLog;
  private readonly lock: Lock;
  private rec: RunRecord | undefined;
  private readonly listeners = new Set<EventListener>();
  private closed = false;
  private closedFiles = false;
  private lastFlush = 0;
  private pendingFlush: NodeJS.Timeout | undefined;

  constructor(runId: string, paths: RunPaths, log: EventLog, lock: Lock, prior: EngineEvent[]) {
    this.runId = runId;
    this.paths = paths;
    this.log = log;
    this.lock = lock;
    this.rec = foldEvents(prior);
  }

  get record(): RunRecord | undefined {
    return this.rec;
  }

  get lockRecovered(): Lock['recovered'] {
    return this.lock.recovered;
  }

  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  append(input: EventInput): EngineEvent {
    const event = this.log.append(input);
    this.rec = applyEvent(this.rec, event);
    if (event.type === 'run.started' || event.type === 'run.finished') this.flushView();
    else if (DURABLE_EVENT_TYPES.has(event.type)) this.flushSoon();
    for (const fn of this.listeners) fn(event);
    return event;
  }

  /**
   * RUN.json is a view, rebuilt by readers whenever it lags events.jsonl, so rewriting it after every
   * event would only cost (quadratically, on long runs). It is refreshed at most every FLUSH_MS.
   */
  private flushSoon(): void {
    const wait = this.lastFlush + FLUSH_MS - Date.now();
    if (wait <= 0) this.flushView();
    else this.pendingFlush ??= setTimeout(() => this.flushView(), wait).unref();
  }

  /** Writes RUN.json from the in-memory fold. */
  flushView(): void {
    clearTimeout(this.pendingFlush);
    this.pendingFlush = undefined;
    this.lastFlush = Date.now();
    if (!this.rec || this.closedFiles) return;
    this.rec.events_bytes = statSync(this.paths.events).size;
    writeJsonAtomic(this.paths.runJson, trimmed(this.rec));
  }

  /**
   * A JSON file under record/ (path relative to record/). `syncFolder: false` for all but the last of
   * files written together into one folder: the last one's folder fsync makes them all durable.
   */
  writeRecordJson(rel: string, value: unknown, syncFolder = true): string {
    const path = join(this.paths.record, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeJsonAtomic(path, value, syncFolder);
    return path;
  }

  /** A verbose file under logs/ (path relative to logs/), redacted. */
  writeLog(rel: string, text: string): string {
    const path = join(this.paths.logs, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, redactString(text));
    return path;
  }

  appendLog(rel: string, text: string): void {
    const path = join(this.paths.logs, rel);
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, redactString(text));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flushView();
    this.closedFiles = true;
    this.log.close();
    this.lock.release();
  }
}
