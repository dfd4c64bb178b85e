// Record throughput: events appended per second with the fsync policy in use (fsync after state
// transitions), and the time to rebuild RUN.json from a 100 000-event log.
import { readFileSync, rmSync } from 'node:fs';
import { dist, fmt, header, tempDir } from './lib.mjs';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const DURABLE_N = Number(process.env.BENCH_DURABLE_EVENTS ?? 500);
header('record throughput');
const { createRun, readRun } = await dist('src/records/run-store.js');
const { foldEvents } = await dist('src/records/fold.js');
const { parseEvents } = await dist('src/records/event-log.js');

const ws = tempDir();
const w = createRun(`${ws}/runs`, {
  workflow: { name: 'bench', version: 'bench', slug: 'bench', artifact_path: 'a' },
  depth: 'standard',
  steps: [{ id: 'G1', name: 'One', kind: 'gate' }],
  params: {},
});
let t = performance.now();
for (let i = 0; i < N; i++) w.append({ type: 'note', step: 'G1', message: `line ${i}` });
const plain = performance.now() - t;
t = performance.now();
for (let i = 0; i < DURABLE_N; i++) w.append({ type: 'error.recorded', tier: 'correctable', step: 'G1', message: `retry ${i}` });
const durable = performance.now() - t;
w.close();
console.log(`append, no fsync (progress events)   ${Math.round(N / (plain / 1000)).toLocaleString()} events/s  (${N} events)`);
console.log(`append + fsync (state transitions)   ${Math.round(DURABLE_N / (durable / 1000)).toLocaleString()} events/s  (${DURABLE_N} events, fsync each; RUN.json refreshed at most 4×/s)`);

const runId = w.runId;
const eventsPath = `${ws}/runs/${runId}/record/events.jsonl`;
t = performance.now();
const text = readFileSync(eventsPath, 'utf8');
const parsed = performance.now() - t;
const rec = foldEvents(parseEvents(text));
const folded = performance.now() - t;
rmSync(`${ws}/runs/${runId}/record/RUN.json`);
t = performance.now();
readRun(`${ws}/runs`, runId);
const rebuilt = performance.now() - t;
console.log(`RUN.json rebuild, ${rec.event_count.toLocaleString()} events: ${fmt(rebuilt)} (read ${fmt(parsed)}, read+fold ${fmt(folded)}, rest is the atomic write)`);
