// Scale: a 1 000-row sweep on one target (the local target) — time to launch (8 slots, and every row at once),
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
/** Rows running at once, as SWEEP_PARALLEL on an 8-GPU pod. */
const SLOTS = Number(process.env.BENCH_SCALE_SLOTS ?? 8);
/** A sleep no other process uses, so the all-at-once rows can be ended by name. */
const CROWD_SLEEP = 86_400 + Math.floor(Math.random() * 1000);
header(`scale: a ${ROWS}-row sweep on the local target, run list over ${RUNS} runs`);

const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;

// The tracked tasks' tmux server is a private one (TMUX_TMPDIR), ended at the end of the bench.
const tmuxDir = tempDir('gantry-bench-tmux-');
const env = { ...process.env, TMUX_TMPDIR: tmuxDir };
const csv = ['run_id,config,seed,overrides,notes', ...Array.from({ length: ROWS }, (_, i) => `row-${i},c,${i},,`), ''].join('\n');
const ok = 'mkdir -p "$1" && echo \'{"ok": true}\' >"$1/summary.json"\n';

/** `gantry flow --wait false` plans the sweep and starts its rows (P60); returns P60's duration and the flow's. */
function launchSweep(dir) {
  writeFileSync(join(dir, 'sweep.csv'), csv);
  const t = performance.now();
  execFileSync('node', [GANTRY, 'flow', '--no-tty', '--wait', 'false'], { cwd: dir, env, stdio: 'ignore' });
  const flowWall = performance.now() - t;
  const runsDir = join(dir, 'gantry', 'runs');
  const run = readdirSync(runsDir).find((d) => d.startsWith('run_'));
  const events = readFileSync(join(runsDir, run, 'record', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { launch: events.find((e) => e.type === 'step.finished' && e.step === 'P60').duration_ms, flowWall };
}

// Launch, as on a GPU pod: SLOTS rows start, the others are held behind them (no process of theirs
// runs until their slot frees). The rows wait for a go file, so the launch is not also running the sweep.
const dir = localFlowProject(
  { 'ok.sh': ok, 'row.sh': 'while [ ! -e "$2" ]; do sleep 0.2; done\nexec sh ok.sh "$1"\n' },
  { SWEEP_CSV: 'sweep.csv', SWEEP_CMD_TEMPLATE: 'sh row.sh {run_dir} {outputs}/go', SWEEP_PARALLEL: String(SLOTS) },
);
const outputs = join(dir, 'pod', 'outputs');
const slotted = launchSweep(dir);

// Reference: the same number of detached no-op processes started by a shell loop.
let t = performance.now();
execFileSync('sh', ['-c', `i=0; while [ $i -lt ${ROWS} ]; do i=$((i+1)); setsid sh -c true </dev/null >/dev/null 2>&1 & done; wait`]);
const direct = performance.now() - t;
console.log(`launch ${ROWS} rows, ${SLOTS} slots (P60)  ${sec(slotted.launch)}  (${fmt(slotted.launch / ROWS)}/row; target ≤ 10 s)   whole flow --wait false: ${sec(slotted.flowWall)}`);
console.log(`  reference: ${ROWS} × setsid sh -c true from a shell loop  ${sec(direct)}   ratio ${ratio(slotted.launch, direct)}`);

// Every row at once: ROWS rows started together, each a tmux window with its wrapper, log viewer,
// timeout and shell — bounded by process creation on this machine. The rows sleep until ended below.
const crowd = localFlowProject({ 'README': 'rows that sleep\n' }, { SWEEP_CSV: 'sweep.csv', SWEEP_CMD_TEMPLATE: `sleep ${CROWD_SLEEP}`, SWEEP_PARALLEL: String(ROWS) });
const together = launchSweep(crowd);
console.log(`launch ${ROWS} rows, all at once (P60) ${sec(together.launch)}  (${fmt(together.launch / ROWS)}/row)   ratio to the shell loop ${ratio(together.launch, direct)}`);
execFileSync('pkill', ['-f', `sleep ${CROWD_SLEEP}`], { stdio: 'ignore' });

// Release the slotted rows and wait for every row to settle, so the status below reads a finished sweep.
writeFileSync(join(outputs, 'go'), '');
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
const taskList = median(timeCommand('node', [GANTRY, 'task', 'list', '--target', 'local', '--outputs-dir', outputs, '--json'], N, { cwd: dir, env }));
console.log(`gantry task list (${ROWS} tasks)       ${fmt(taskList)}   ratio to find + cat ${ratio(taskList, findCat)}`);

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
for (const d of [dir, crowd, listWs, shimDir, tmuxDir]) rmSync(d, { recursive: true, force: true });
