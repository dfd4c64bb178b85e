// Scale: a 1 000-row sweep on one target (the local target; rows that exit at once) — time to launch,
// the cost of `gantry sweep status` (it must be ONE remote command for all rows: counted), and
// `gantry run list` over 10 000 runs. Targets: launch ≤ 10 s, status ≤ 1 s, list ≤ 500 ms. Each figure
// is printed beside a reference measured in the same run; nothing is asserted.
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist, fmt, GANTRY, header, localFlowProject, median, tempDir, timeCommand } from './lib.mjs';

const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 1000);
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 10_000);
const N = Number(process.env.BENCH_SCALE_REPEAT ?? 5);
header(`scale: a ${ROWS}-row sweep on the local target, run list over ${RUNS} runs`);

const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;

// The tracked tasks' tmux server is a private one (TMUX_TMPDIR), ended at the end of the bench.
const tmuxDir = tempDir('gantry-bench-tmux-');
const env = { ...process.env, TMUX_TMPDIR: tmuxDir };
const dir = localFlowProject(
  { 'ok.sh': 'mkdir -p "$1" && echo \'{"ok": true}\' >"$1/summary.json"\n' },
  { SWEEP_CSV: 'sweep.csv', SWEEP_CMD_TEMPLATE: 'sh ok.sh {run_dir}', SWEEP_PARALLEL: String(ROWS) },
);
const outputs = join(dir, 'pod', 'outputs');
writeFileSync(join(dir, 'sweep.csv'), ['run_id,config,seed,overrides,notes', ...Array.from({ length: ROWS }, (_, i) => `row-${i},c,${i},,`), ''].join('\n'));

// Launch: `gantry flow --wait false` plans the sweep and starts every row (P60), then takes one snapshot.
let t = performance.now();
execFileSync('node', [GANTRY, 'flow', '--no-tty', '--wait', 'false'], { cwd: dir, env, stdio: 'ignore' });
const flowWall = performance.now() - t;
const runsDir = join(dir, 'gantry', 'runs');
const run = readdirSync(runsDir).find((d) => d.startsWith('run_'));
const events = readFileSync(join(runsDir, run, 'record', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const launch = events.find((e) => e.type === 'step.finished' && e.step === 'P60').duration_ms;

// Reference: the same number of detached no-op processes started by a shell loop.
t = performance.now();
execFileSync('sh', ['-c', `i=0; while [ $i -lt ${ROWS} ]; do i=$((i+1)); setsid sh -c true </dev/null >/dev/null 2>&1 & done; wait`]);
const direct = performance.now() - t;
console.log(`launch ${ROWS} rows (P60)             ${sec(launch)}  (${fmt(launch / ROWS)}/row; target ≤ 10 s)   whole flow --wait false: ${sec(flowWall)}`);
console.log(`  reference: ${ROWS} × setsid sh -c true from a shell loop  ${sec(direct)}   ratio ${ratio(launch, direct)}`);

// Wait for every row to settle, so the status below reads a finished sweep.
for (;;) {
  const view = JSON.parse(execFileSync('node', [GANTRY, 'sweep', 'status', '--json'], { cwd: dir, env, encoding: 'utf8' }));
  if (view.rows.every((r) => r.state === 'done')) break;
  execFileSync('sleep', ['1']);
}

// Status: one command for every row. A `sh` first on PATH notes each shell gantry starts on the target.
const shimDir = tempDir('gantry-bench-sh-');
const count = join(shimDir, 'count');
writeFileSync(join(shimDir, 'sh'), `#!/bin/sh\necho "$*" | cut -c1-60 >> '${count}'\nexec /bin/sh "$@"\n`);
chmodSync(join(shimDir, 'sh'), 0o755);
execFileSync('node', [GANTRY, 'sweep', 'status', '--json'], { cwd: dir, env: { ...env, PATH: `${shimDir}:${env.PATH}` }, stdio: 'ignore' });
const commands = readFileSync(count, 'utf8').trim().split('\n').length;
const status = median(timeCommand('node', [GANTRY, 'sweep', 'status', '--json'], N, { cwd: dir, env }));
const findCat = median(timeCommand('sh', ['-c', `find ${outputs}/_tasks -name status.json -exec cat {} + >/dev/null`], N));
const node = median(timeCommand('node', ['-e', '0'], N));
console.log(`gantry sweep status (${ROWS} rows)     ${fmt(status)}  (target ≤ 1 s)   remote commands: ${commands}`);
console.log(`  reference: find + cat of the ${ROWS} status.json files ${fmt(findCat)}, node -e 0 ${fmt(node)}   ratio to find + cat ${ratio(status, findCat)}`);

// run list over many runs, made with the records API.
const listWs = tempDir();
const { createRun } = await dist('src/records/run-store.js');
t = performance.now();
for (let i = 0; i < RUNS; i++) {
  createRun(join(listWs, 'runs'), {
    workflow: { name: 'visual-essay', version: 'bench', slug: `s${i}`, artifact_path: 'a' },
    depth: 'standard',
    steps: [{ id: 'G1', name: 'One', kind: 'gate' }],
    params: {},
  }).close();
}
const made = performance.now() - t;
const list = median(timeCommand('node', [GANTRY, 'run', 'list', '--json', '--workspace', listWs], N));
const ls = median(timeCommand('ls', [join(listWs, 'runs')], N));
const find = median(timeCommand('find', [join(listWs, 'runs'), '-name', 'RUN.json'], N));
console.log(`gantry run list --json (${RUNS} runs)  ${fmt(list)}  (target ≤ 500 ms; the runs took ${sec(made)} to create)`);
console.log(`  reference: ls runs/ ${fmt(ls)}, find runs -name RUN.json ${fmt(find)}, node -e 0 ${fmt(node)}   ratio to find ${ratio(list, find)}`);

try {
  execFileSync('tmux', ['-S', join(tmuxDir, readdirSync(tmuxDir).find((d) => d.startsWith('tmux-')) ?? '', 'default'), 'kill-server'], { stdio: 'ignore' });
} catch {
  /* no server was left */
}
for (const d of [dir, listWs, shimDir, tmuxDir]) rmSync(d, { recursive: true, force: true });
