import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunPaths } from '../../records/run-paths.js';

/**
 * Whether a process still holds the run (its lock names a live pid on this host, or any holder on
 * another host, which cannot be checked from here). A run left RUNNING without one will not move again.
 */
export function runHasOwner(paths: RunPaths): boolean {
  let holder: { pid?: number; host?: string };
  try {
    holder = JSON.parse(readFileSync(paths.lock, 'utf8')) as { pid?: number; host?: string };
  } catch {
    return false;
  }
  if (holder.host !== hostname() || typeof holder.pid !== 'number') return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
