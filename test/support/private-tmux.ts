import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmp } from './gantry.js';

/**
 * Environment for gantry runs on the local target whose tracked tasks must use a tmux server of their
 * own (TMUX_TMPDIR), not the user's; `stop()` ends that server.
 */
export function privateTmux(): { env: Record<string, string>; stop(): void } {
  const dir = tmp();
  return {
    env: { TMUX_TMPDIR: dir },
    stop() {
      const uidDir = readdirSync(dir).find((d) => d.startsWith('tmux-'));
      if (!uidDir) return;
      const socket = join(dir, uidDir, 'default');
      if (existsSync(socket) && statSync(socket).isSocket()) {
        try {
          execFileSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
        } catch {
          /* no server left */
        }
      }
    },
  };
}
