import { writeSync } from 'node:fs';
import type { ReadStream } from 'node:tty';

/** Alternate screen on, screen cleared, cursor home. */
export const ENTER_ALTERNATE = '\x1b[?1049h\x1b[2J\x1b[H';
/** Cursor shown, colours reset, alternate screen off (the shell's screen comes back as it was). */
export const LEAVE_ALTERNATE = '\x1b[0m\x1b[?25h\x1b[?1049l';

export interface ScreenHold {
  /** Leaves the alternate screen and removes the crash handlers. Idempotent. */
  release(): void;
}

/**
 * Puts the terminal on the alternate screen (Ink has no option for it) and guarantees it comes back:
 * on release, on process exit, on an uncaught exception or rejection (which then ends the process
 * with `crashCode` after printing the error on the restored screen).
 */
export function holdAlternateScreen(stdin: ReadStream, crashCode: number, outFd = 1): ScreenHold {
  let held = true;
  const restore = () => {
    if (!held) return;
    held = false;
    if (stdin.isTTY) {
      try {
        stdin.setRawMode(false);
      } catch {
        /* stdin already closed */
      }
    }
    try {
      writeSync(outFd, LEAVE_ALTERNATE);
    } catch {
      /* the terminal is gone */
    }
  };
  const crash = (e: unknown) => {
    restore();
    const err = e as Error;
    process.stderr.write(`gantry: internal error in the console: ${err?.message ?? String(e)}\n`);
    if (process.env.GANTRY_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    process.exit(crashCode);
  };
  process.on('exit', restore);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  writeSync(outFd, ENTER_ALTERNATE);
  return {
    release() {
      restore();
      process.off('exit', restore);
      process.off('uncaughtException', crash);
      process.off('unhandledRejection', crash);
    },
  };
}
