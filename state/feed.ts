import type { EngineEvent } from '../contracts/events.js';
import type { Batch, ConsoleStore } from './store.js';

/** Where engine events and log lines enter the console. They reach the store in batches, at most one per interval. */
export interface Feed {
  event(e: EngineEvent): void;
  lines(key: string, texts: string[], ts?: number): void;
  /**
   * One line of a log file as bytes (`data[start, end)`, copied): it goes straight into the store's
   * ring for that log, allocating nothing per line; the screen hears of it with the next batch.
   */
  lineBytes(key: string, data: Buffer, start: number, end: number, ts?: number): void;
  /** Hands everything pending to the store now. */
  flush(): void;
  /** Flushes and stops; later input is ignored. */
  close(): void;
}

interface Pending {
  chunks: { texts: string[]; ts: number }[];
  count: number;
  dropped: number;
}

/**
 * Batches input so a flood of events or lines costs one store update (one render) per `intervalMs`
 * — 33 ms keeps the console at or under 30 frames a second. Lines beyond what the store could keep
 * are counted, not held, so a stalled flush cannot grow memory.
 */
export function createFeed(store: ConsoleStore, opts: { intervalMs?: number } = {}): Feed {
  const intervalMs = opts.intervalMs ?? 33;
  const keep = () => store.getState().ringCapacity;
  let events: EngineEvent[] = [];
  let lines = new Map<string, Pending>();
  let touched = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const schedule = () => {
    if (timer === undefined && !closed) {
      timer = setTimeout(flush, intervalMs);
      timer.unref?.();
    }
  };

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!events.length && !lines.size && !touched) return;
    const batch: Batch = { events, lines: [], logsTouched: touched };
    for (const [key, p] of lines) {
      p.chunks.forEach((c, i) => batch.lines.push({ key, texts: c.texts, ts: c.ts, dropped: i === 0 ? p.dropped : 0 }));
    }
    events = [];
    lines = new Map();
    touched = false;
    store.getState().ingest(batch);
  }

  return {
    event(e) {
      if (closed) return;
      events.push(e);
      schedule();
    },
    lines(key, texts, ts = Date.now()) {
      if (closed || !texts.length) return;
      let p = lines.get(key);
      if (!p) lines.set(key, (p = { chunks: [], count: 0, dropped: 0 }));
      p.chunks.push({ texts, ts });
      p.count += texts.length;
      const cap = keep();
      while (p.chunks.length > 1 && p.count - p.chunks[0]!.texts.length >= cap) {
        const gone = p.chunks.shift()!;
        p.count -= gone.texts.length;
        p.dropped += gone.texts.length;
      }
      schedule();
    },
    lineBytes(key, data, start, end, ts = Date.now()) {
      if (closed) return;
      store.getState().logRing(key).pushBytes(data, start, end, ts);
      touched = true;
      schedule();
    },
    flush,
    close() {
      flush();
      closed = true;
    },
  };
}
