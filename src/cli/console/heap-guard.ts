import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (opts: { type: 'major'; execution: 'async' }) => void;

/**
 * Keeps a full-screen console's memory near its working set. Every Ink frame leaves garbage that
 * partly ends up in V8's old generation, and on a small heap V8 lets that grow to several times the
 * live data before it collects (a bare Ink app redrawing 120×40 at 15 fps reaches ~165 MB RSS). While
 * the console is open, an asynchronous major collection is asked for whenever the old generation
 * holds more than `limitMb`.
 */
export function guardHeap(limitMb = 24, everyMs = 250): { stop(): void } {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as Gc;
  const limit = limitMb << 20;
  const timer = setInterval(() => {
    const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
    if (old && old.space_used_size > limit) gc({ type: 'major', execution: 'async' });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
