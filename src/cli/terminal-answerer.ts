import { createInterface } from 'node:readline/promises';
import type { GateAnswerer } from '../engine/answers.js';

/** The minimal terminal prompt: finish, fail with a reason, or view the packet. The full console replaces it. */
export function terminalAnswerer(write: (s: string) => void): GateAnswerer {
  return {
    agent: 'human',
    answer: async (q, signal) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      try {
        write(`\n[${q.gate}] ${q.name} — prompt packet: ${q.packetPath}`);
        for (;;) {
          const key = (await rl.question(`[${q.gate}] (f)inish and validate · (x) fail · (v)iew packet > `, { signal })).trim().toLowerCase();
          if (key === 'f' || key === 'finish') return { action: 'finish', by: 'terminal' };
          if (key === 'v' || key === 'view') write(q.packet);
          if (key === 'x' || key === 'fail') {
            const reason = (await rl.question('reason > ', { signal })).trim() || 'failed at the terminal';
            return { action: 'fail', reason, by: 'terminal' };
          }
        }
      } finally {
        rl.close();
      }
    },
  };
}
