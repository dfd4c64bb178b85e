import v8 from 'node:v8';
import { EventEmitter } from 'node:events';
process.env.NODE_ENV = 'production';
if (process.env.EXP_FLAG) v8.setFlagsFromString(process.env.EXP_FLAG);
const { render } = await import('ink');
const { createElement } = await import('react');
const { ConsoleApp } = await import('../../dist/screens/app.js');
const { createConsoleStore } = await import('../../dist/state/store.js');
const { createFeed } = await import('../../dist/state/feed.js');
const mode = process.argv[2] ?? 'full';
class Out extends EventEmitter { isTTY = true; columns = 120; rows = 40; bytes = 0; write(s) { this.bytes += s.length; return true; } }
class In extends EventEmitter { isTTY = true; setRawMode() {} setEncoding() {} resume() {} pause() {} ref() {} unref() {} read() { return null; } }
const store = createConsoleStore();
store.getState().attach('watch', [process.argv[3] ?? 'cockpit']);
const feed = createFeed(store, { intervalMs: Number(process.env.EXP_INTERVAL ?? 33) });
feed.event({ type: 'run.started', seq: 1, ts: new Date().toISOString(), run_id: 'run_x', workflow: { name: 'w', version: '1', slug: 's', artifact_path: 'a' }, depth: 'standard', steps: [{ id: 'P01', name: 'STREAM', kind: 'command' }], params: {}, pid: 1, host: 'h' });
feed.event({ type: 'step.started', seq: 2, ts: new Date().toISOString(), run_id: 'run_x', step: 'P01', name: 'STREAM', kind: 'command' });
const out = new Out();
let frames = 0;
if (mode !== 'norender') render(createElement(ConsoleApp, { store, commands: {} }), { stdout: out, stdin: new In(), exitOnCtrlC: false, patchConsole: false, maxFps: 30, onRender: () => frames++ });
if (process.env.EXP_GC) { const vm = await import('node:vm'); v8.setFlagsFromString('--expose-gc'); const gc = vm.runInNewContext('gc'); setInterval(() => { const old = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'old_space').space_used_size; if (old > Number(process.env.EXP_GC) * 1048576) gc({ type: 'major', execution: 'async' }); }, 250).unref(); }
const t0 = Date.now(); let n = 0;
const chunk = Buffer.allocUnsafe(1 << 20);
const timer = setInterval(() => {
  const due = Math.floor((Date.now() - t0) / 1000 * 100000);
  let len = 0; const ends = [];
  for (; n < due; n++) { len += chunk.write(`P01 line ${String(n).padStart(7, '0')} loss=${(1 / (n + 1)).toFixed(6)} \x1b[32mok\x1b[0m`, len); ends.push(len); chunk[len++] = 10; }
  let s = 0; const now = Date.now();
  for (const e of ends) { feed.lineBytes('steps/P01', chunk, s, e, now); s = e + 1; }
}, 50);
const sample = () => { const sp = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name.replace('_space', ''), Math.round(x.space_used_size / 1048576)])); return `rss ${Math.round(process.memoryUsage().rss / 1048576)} old ${sp.old} new ${sp.new} frames ${frames}`; };
for (let i = 0; i < 10; i++) { await new Promise((r) => setTimeout(r, 1000)); console.log(i + 1, sample()); }
clearInterval(timer); process.exit(0);
