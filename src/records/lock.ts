import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ExitCode, GantryError } from '../../contracts/errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export interface Lock {
  release(): void;
  /** Set when a stale lock of a dead process was taken over; the caller records it. */
  recovered: LockHolder | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * One writer per run (and per workspace target). The lock file names its holder; a lock left by a dead
 * process on this host is recovered. A holder on another host is never assumed dead.
 */
export function acquireLock(path: string, purpose: string, what: string): Lock {
  let recovered: LockHolder | null = null;
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return {
        recovered,
        release: () => {
          const h = readHolder(path);
          if (h && h.pid === process.pid && h.host === me.host) unlinkSync(path);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(path);
      const stale = holder === null || (holder.host === hostname() && !alive(holder.pid));
      if (!stale)
        throw new GantryError(ExitCode.LOCKED, `${what} is held by pid ${holder.pid} on ${holder.host} (${holder.purpose}, since ${holder.since})`, {
          where: path,
          hint: 'wait for that process to finish, or answer its gates with `gantry gate finish|fail`; remove the lock only if that process is gone',
        });
      recovered = holder ?? { pid: -1, host: 'unknown', since: 'unknown', purpose: 'unreadable lock file' };
      try {
        unlinkSync(path);
      } catch {
        /* another process recovered it first; retry */
      }
    }
  }
  throw new GantryError(ExitCode.LOCKED, `could not take the lock for ${what}`, { where: path, hint: 'retry' });
}
