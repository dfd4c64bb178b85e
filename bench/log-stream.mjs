// The console's log path under a flood: 100 000 lines/s for 10 s appended to a step log by the record
// writer, followed by `gantry watch` (file tail → sanitizer → batched store → Ink render) in a real tmux
// pane, and — the reference, in the same run — by `tail -F` in a second tmux pane.
// Targets: newest line on screen ≤ 250 ms after the last write, peak RSS ≤ 150 MB, ≤ 30 fps, no line lost.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dist, GANTRY, header, tempDir } from './lib.mjs';

const RATE = Number(process.env.BENCH_LOG_RATE ?? 100_000);
const SECONDS = Number(process.env.BENCH_LOG_SECONDS ?? 10);
const TOTAL = RATE * SECONDS;
const CLK_TCK = 100;

header(`log-stream: ${RATE.toLocaleString('en-US')} lines/s for ${SECONDS} s through the console (tmux 120×40)`);

const ws = tempDir('gantry-bench-logs-');
const { createRun } = await dist('src/records/run-store.js');
const writer = createRun(join(ws, 'runs'), {
  workflow: { name: 'log-stream', version: 'bench', slug: 'logs', artifact_path: 'out' },
  depth: 'standard',
  steps: [{ id: 'P01', name: 'STREAM', kind: 'command' }],
  params: {},
});
writer.append({ type: 'step.started', step: 'P01', name: 'STREAM', kind: 'command' });
const logFile = join(writer.paths.logs, 'steps', 'P01.log');
writer.appendLog('steps/P01.log', '');
const stats = join(ws, 'console-stats.json');

const socket = `gantry-bench-${process.pid}`;
const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const env = `env -u CI -u CONTINUOUS_INTEGRATION GANTRY_CONSOLE_STATS=${stats}`;
const capture = (w) => tmux('capture-pane', '-p', '-t', `b:${w}`);

try {
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', `exec ${env} node ${GANTRY} watch ${writer.runId} --workspace ${ws}`);
  tmux('new-window', '-t', 'b:', `exec tail -F ${logFile}`);
  const consolePid = Number(tmux('display', '-p', '-t', 'b:0', '#{pane_pid}').trim());
  const tailPid = Number(tmux('display', '-p', '-t', 'b:1', '#{pane_pid}').trim());
  await until(() => capture(0).includes('log-stream · RUNNING'), 30_000, 'the console to open');
  const consoleReady = Date.now();

  const cpu = (pid) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  };
  const rss = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  const cpu0 = { console: cpu(consolePid), tail: cpu(tailPid) };

  // The producer: the record writer appending to logs/steps/P01.log, paced to RATE.
  const last = (n) => `P01 line ${String(n).padStart(7, '0')} loss=${(1 / (n + 1)).toFixed(6)} \x1b[32mok\x1b[0m`;
  const t0 = Date.now();
  let written = 0;
  while (written < TOTAL) {
    const due = Math.min(TOTAL, Math.floor(((Date.now() - t0) / 1000) * RATE));
    if (due > written) {
      let chunk = '';
      for (let n = written; n < due; n++) chunk += last(n) + '\n';
      writer.appendLog('steps/P01.log', chunk);
      written = due;
    }
    await sleep(5);
  }
  const tEnd = Date.now();
  const newest = `P01 line ${String(TOTAL - 1).padStart(7, '0')}`;

  const lagOf = async (w) => {
    await until(() => capture(w).includes(newest), 60_000, `window ${w} to show the newest line`);
    return Date.now() - tEnd;
  };
  const [consoleLag, tailLag] = await Promise.all([lagOf(0), lagOf(1)]);
  const tSeen = Date.now();
  const window = (tSeen - t0) / 1000;
  const cpuPct = (pid, from) => (100 * (cpu(pid) - from)) / window;
  const figures = {
    console: { lag: consoleLag, rss: rss(consolePid), cpu: cpuPct(consolePid, cpu0.console) },
    tail: { lag: tailLag, rss: rss(tailPid), cpu: cpuPct(tailPid, cpu0.tail) },
  };

  tmux('send-keys', '-t', 'b:0', 'q');
  await until(() => existsSync(stats), 20_000, 'the console to leave');
  const tQuit = Date.now();
  const { frames, renderMs, lines } = JSON.parse(readFileSync(stats, 'utf8'));
  const onDisk = readFileSync(logFile, 'utf8').split('\n').length - 1;
  const delivered = lines['steps/P01'] ?? 0;
  const fps = frames / ((tQuit - consoleReady) / 1000);

  const ok = (cond) => (cond ? 'ok' : 'MISSED');
  console.log(`lines produced                 ${TOTAL.toLocaleString('en-US')} in ${((tEnd - t0) / 1000).toFixed(2)} s`);
  console.log(`lines on disk                  ${onDisk.toLocaleString('en-US')}   ${ok(onDisk === TOTAL)}`);
  console.log(`lines delivered to the console ${delivered.toLocaleString('en-US')}   ${ok(delivered === TOTAL)} (target: all)`);
  console.log(`newest line on screen          console ${figures.console.lag} ms · tail -F ${figures.tail.lag} ms (reference)   ${ok(figures.console.lag <= 250)} (target ≤ 250 ms)`);
  console.log(`peak RSS                       console ${figures.console.rss.toFixed(1)} MB · tail -F ${figures.tail.rss.toFixed(1)} MB   ${ok(figures.console.rss <= 150)} (target ≤ 150 MB)`);
  console.log(`mean CPU while streaming       console ${figures.console.cpu.toFixed(0)}% · tail -F ${figures.tail.cpu.toFixed(0)}% (of one core)`);
  console.log(`frames rendered                ${frames} in ${((tQuit - consoleReady) / 1000).toFixed(1)} s = ${fps.toFixed(1)} fps, ${(renderMs / Math.max(1, frames)).toFixed(1)} ms each   ${ok(fps <= 30)} (target ≤ 30 fps)`);
  console.log(`lag ratio console / tail -F    ${(figures.console.lag / Math.max(1, figures.tail.lag)).toFixed(2)}×`);
  writeFileSync(join(ws, 'figures.json'), JSON.stringify({ rate: RATE, seconds: SECONDS, onDisk, delivered, frames, fps, ...figures }, null, 2));
} finally {
  writer.close();
  try {
    tmux('kill-server');
  } catch {
    /* already gone */
  }
}

async function until(pred, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return;
    await sleep(20);
  }
  throw new Error(`log-stream bench: timed out waiting for ${what}`);
}
