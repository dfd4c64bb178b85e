// Start-up cost of headless commands against bare Node. Target: gantry adds at most 50% to `node -e 0`.
import { dist, fmt, GANTRY, header, median, tempDir, timeCommand } from './lib.mjs';

const N = Number(process.env.BENCH_STARTUP_RUNS ?? 20);
const RUNS = Number(process.env.BENCH_STARTUP_RECORDS ?? 1000);
header(`startup (median of ${N})`);

const ws = tempDir();
const { createRun } = await dist('src/records/run-store.js');
for (let i = 0; i < RUNS; i++) {
  const w = createRun(`${ws}/runs`, {
    workflow: { name: 'visual-essay', version: 'bench', slug: `s${i}`, artifact_path: 'a' },
    depth: 'standard',
    steps: [{ id: 'G1', name: 'One', kind: 'gate' }],
    params: {},
  });
  w.close();
}

const node = median(timeCommand('node', ['-e', '0'], N));
const version = median(timeCommand('node', [GANTRY, '--version'], N));
const list = median(timeCommand('node', [GANTRY, 'run', 'list', '--json', '--workspace', ws], N));
console.log(`node -e 0                         ${fmt(node)}   (reference)`);
console.log(`gantry --version                  ${fmt(version)}   ratio ${(version / node).toFixed(2)}× (target ≤ 1.50×)`);
console.log(`gantry run list --json (${RUNS} runs) ${fmt(list)}   ratio ${(list / node).toFixed(2)}×`);
