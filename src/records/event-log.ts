import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, ftruncateSync, writeSync } from 'node:fs';
import { DURABLE_EVENT_TYPES } from '../../contracts/durable-events.js';
import type { EngineEvent, EventInput } from '../../contracts/events.js';
import { redactDeep } from './redact.js';

/**
 * events.jsonl: append-only, one event per line, each line a single write(2). Lines after state
 * transitions are fsync'd; a crash can lose at most trailing non-durable lines, never a torn one (the
 * torn tail is cut back to the last newline when the log is opened for writing).
 */
export class EventLog {
  private fd: number;
  private seq: number;
  private readonly runId: string;

  private constructor(fd: number, runId: string, lastSeq: number) {
    this.fd = fd;
    this.runId = runId;
    this.seq = lastSeq;
  }

  /** Opens for appending; repairs a torn last line. */
  static open(path: string, runId: string): { log: EventLog; events: EngineEvent[]; repairedBytes: number } {
    const fd = openSync(path, 'a+', 0o644);
    const repairedBytes = cutTornTail(fd);
    const events = parseEvents(readFileSync(path, 'utf8'));
    const last = events.at(-1);
    return { log: new EventLog(fd, runId, last ? last.seq : 0), events, repairedBytes };
  }

  get lastSeq(): number {
    return this.seq;
  }

  append(input: EventInput): EngineEvent {
    const event = redactDeep({ seq: this.seq + 1, ts: new Date().toISOString(), run_id: this.runId, ...input }) as EngineEvent;
    writeSync(this.fd, JSON.stringify(event) + '\n');
    if (DURABLE_EVENT_TYPES.has(event.type)) fsyncSync(this.fd);
    this.seq = event.seq;
    return event;
  }

  close(): void {
    if (this.fd >= 0) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

function cutTornTail(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const chunk = Buffer.alloc(Math.min(size, 1 << 16));
  let end = size;
  // Scan back for the last newline; a complete log ends with one.
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const idx = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (idx !== -1) {
      const keep = start + idx + 1;
      if (keep !== size) {
        ftruncateSync(fd, keep);
        fsyncSync(fd);
      }
      return size - keep;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
  fsyncSync(fd);
  return size;
}

/** Parses complete lines; a torn (unterminated) last line is ignored, as a reader racing a writer may see one. */
export function parseEvents(text: string): EngineEvent[] {
  const out: EngineEvent[] = [];
  const end = text.lastIndexOf('\n');
  if (end === -1) return out;
  for (const line of text.slice(0, end).split('\n')) {
    if (line) out.push(JSON.parse(line) as EngineEvent);
  }
  return out;
}

export function readEvents(path: string): EngineEvent[] {
  return existsSync(path) ? parseEvents(readFileSync(path, 'utf8')) : [];
}
