import v8 from 'node:v8';
import { EventEmitter } from 'node:events';
process.env.NODE_ENV = 'production';
const { render, Box, Text } = await import('ink');
const React = await import('react');
class Out extends EventEmitter { isTTY = true; columns = 120; rows = 40; write() { return true; } }
class In extends EventEmitter { isTTY = true; setRawMode() {} setEncoding() {} resume() {} pause() {} ref() {} unref() {} read() { return null; } }
let tick = 0; let frames = 0;
function App() { const [, set] = React.useState(0); React.useEffect(() => { const t = setInterval(() => set((x) => x + 1), 33); return () => clearInterval(t); }, []); tick++;
  return React.createElement(Box, { flexDirection: 'column', width: 120, height: 39, borderStyle: 'round' }, ...Array.from({ length: 36 }, (_, i) => React.createElement(Text, { key: i, wrap: 'truncate-end' }, `line ${tick * 36 + i} `.repeat(8)))); }
render(React.createElement(App), { stdout: new Out(), stdin: new In(), exitOnCtrlC: false, patchConsole: false, maxFps: 30, onRender: () => frames++ });
for (let i = 0; i < 10; i++) { await new Promise((r) => setTimeout(r, 1000)); const sp = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name.replace('_space', ''), Math.round(x.space_used_size / 1048576)])); console.log(i + 1, 'rss', Math.round(process.memoryUsage().rss / 1048576), 'old', sp.old, 'new', sp.new, 'frames', frames); }
process.exit(0);
