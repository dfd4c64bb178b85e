import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tmp, waitFor } from '../support/gantry.js';

const WRITER = join(import.meta.dirname, 'record-writer.mjs');
const READS = Number(process.env.CHAOS_RUNJSON_READS ?? 10_000);

describe('chaos: concurrent readers and writers of one run', () => {
  it(`${READS} reads of RUN.json during writes never see invalid JSON`, async () => {
    const runs = join(tmp(), 'runs');
    const writer = execa('node', [WRITER, runs, 'new', '200000'], { reject: false });
    let runId = '';
    writer.stdout!.once('data', (d: Buffer) => (runId = d.toString().split('\n')[0]!));
    await waitFor(() => runId !== '' && existsSync(join(runs, runId, 'record', 'RUN.json')));
    const path = join(runs, runId, 'record', 'RUN.json');
    let reads = 0;
    let seqSeen = 0;
    while (reads < READS) {
      const rec = JSON.parse(readFileSync(path, 'utf8'));
      expect(rec.event_count).toBeGreaterThanOrEqual(seqSeen);
      seqSeen = rec.event_count;
      reads++;
      if (reads % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    writer.kill('SIGKILL');
    await writer;
    expect(reads).toBe(READS);
    expect(seqSeen).toBeGreaterThan(1);
  });

  it('of two writers racing for one run, exactly one wins and the other is refused naming the holder', async () => {
    const runs = join(tmp(), 'runs');
    const first = await execa('node', [WRITER, runs, 'new', '1']);
    const runId = first.stdout.split('\n')[0]!;
    const racers = await Promise.all([0, 1, 2].map(() => execa('node', [WRITER, runs, runId, '20000'], { reject: false })));
    const winners = racers.filter((r) => r.exitCode === 0);
    const losers = racers.filter((r) => r.exitCode !== 0);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    for (const l of losers) expect(l.stderr).toMatch(/is held by pid \d+ on /);
    const lines = readFileSync(join(runs, runId, 'record', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines.length).toBe(1 + 1 + winners.length * 20000);
  });
});
