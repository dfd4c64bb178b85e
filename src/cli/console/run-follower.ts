import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { EngineEvent } from '../../../contracts/events.js';
import type { RunPaths } from '../../records/run-paths.js';
import type { Feed } from '../../../state/feed.js';
import { EVENTS_LOG, logKeyOf } from '../../../state/store.js';
import { plainLine } from '../reporter.js';
import { FileTail } from './file-tail.js';

/** Feeds one engine event to the console: into the run view, and as a plain line into the run's events log. */
export function eventSink(feed: Feed): (e: EngineEvent) => void {
  return (e) => {
    feed.event(e);
    const line = plainLine(e);
    if (line !== null) feed.lines(EVENTS_LOG, line.split('\n'));
  };
}

export interface Follower {
  /** Reads whatever was appended since the last poll. */
  poll(): void;
  stop(): void;
}

/**
 * Follows a run from its folder: the logs under logs/ (every `*.log`, keyed by its path without
 * `.log`), and — for a run another process executes — its events.jsonl, read from the last byte
 * offset, complete lines only.
 */
export function followRun(paths: RunPaths, feed: Feed, opts: { events: boolean; pollMs?: number; scanMs?: number }): Follower {
  const pollMs = opts.pollMs ?? 50;
  const scanMs = opts.scanMs ?? 250;
  const toFeed = eventSink(feed);
  const events = opts.events ? new FileTail(paths.events) : undefined;
  /** Log key → its tail. */
  const logs = new Map<string, FileTail>();
  let lastScan = 0;

  const scan = () => {
    for (const file of logFiles(paths.logs)) {
      const key = logKeyOf(relative(paths.logs, file));
      if (!logs.has(key)) logs.set(key, new FileTail(file));
    }
  };

  const poll = () => {
    if (events) {
      for (const line of events.pollText()) {
        const e = parseEvent(line);
        if (e) toFeed(e);
      }
    }
    if (Date.now() - lastScan >= scanMs) {
      lastScan = Date.now();
      scan();
    }
    const now = Date.now();
    for (const [key, tail] of logs) tail.poll((data, start, end) => feed.lineBytes(key, data, start, end, now));
  };

  const timer = setInterval(poll, pollMs);
  timer.unref();
  poll();
  return { poll, stop: () => clearInterval(timer) };
}

function parseEvent(line: string): EngineEvent | undefined {
  try {
    return JSON.parse(line) as EngineEvent;
  } catch {
    return undefined;
  }
}

function logFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((d) => d.isFile() && d.name.endsWith('.log')).map((d) => join(d.parentPath, d.name));
}
