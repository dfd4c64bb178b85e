import { createInterface } from 'node:readline/promises';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { Prompter } from '../exec/prompter.js';

/** Reads one line without echoing it (a passphrase). Ctrl-C cancels. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (end: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      end();
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(typed));
        if (ch === '\u0003') return finish(() => reject(new GantryError(ExitCode.INTERRUPTED, 'canceled at the passphrase prompt')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function askLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}

/** The terminal's answers to host-key and passphrase questions, worded as OpenSSH words them. */
export function terminalPrompter(): Prompter {
  return {
    async confirmHostKey(q) {
      const lines = [
        `The authenticity of host '${q.name}' can't be established.`,
        `${q.keyType} key fingerprint is ${q.fingerprint}.`,
      ];
      if (q.otherTypes.length > 0)
        lines.push(`WARNING: known_hosts has ${q.otherTypes.join(', ')} keys for this host, but it presented a different type.`);
      process.stderr.write(lines.join('\n') + '\n');
      for (let prompt = 'Are you sure you want to continue connecting (yes/no)? '; ; prompt = "Please type 'yes' or 'no': ") {
        const answer = (await askLine(prompt)).toLowerCase();
        if (answer === 'yes') return true;
        if (answer === 'no') return false;
      }
    },
    async passphrase(keyPath) {
      const typed = await askHidden(`Enter passphrase for key '${keyPath}' (empty to skip): `);
      return typed === '' ? undefined : typed;
    },
  };
}
