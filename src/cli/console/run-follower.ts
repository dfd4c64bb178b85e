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
  const logs = new Map<string, FileTail>();
  let lastScan = 0;

  const scan = () => {
    for (const file of logFiles(paths.logs)) {
      if (!logs.has(file)) logs.set(file, new FileTail(file));
    }
  };

  const poll = () => {
    if (events) {
      for (const line of events.poll()) {
        const e = parseEvent(line);
        if (e) toFeed(e);
      }
    }
    const now = Date.now();
    if (now - lastScan >= scanMs) {
      lastScan = now;
      scan();
    }
    for (const [file, tail] of logs) {
      const lines = tail.poll();
      if (lines.length) feed.lines(logKeyOf(relative(paths.logs, file)), lines);
    }
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
