import { readFileSync } from 'node:fs';
import type { AnyAuthMethod, AuthHandlerMiddleware, BaseAgent, IdentityCallback, ParsedKey } from 'ssh2';
import type { Prompter } from './prompter.js';

const PASSPHRASE_TRIES = 3;

/** ssh2's parseKey answers a key, a list of keys (the first is the one), or an Error. */
const firstKey = (parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error | undefined => (Array.isArray(parsed) ? parsed[0] : parsed);

/** What authentication tried, so a failure can say why and what to do. */
export interface AuthLog {
  tried: string[];
  /** Encrypted keys skipped because nobody could be asked for their passphrase. */
  locked: string[];
  /** Key files that could not be read or parsed, with the reason. */
  unusable: string[];
}

async function unlock(path: string, prompter: Prompter | undefined, log: AuthLog): Promise<ParsedKey | undefined> {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    log.unusable.push(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
  const { utils } = (await import('ssh2')).default;
  const parsed = firstKey(utils.parseKey(data));
  if (!(parsed instanceof Error)) return parsed;
  if (!/passphrase/i.test(parsed.message)) {
    log.unusable.push(`${path}: ${parsed.message}`);
    return undefined;
  }
  if (!prompter) {
    log.locked.push(path);
    return undefined;
  }
  for (let i = 0; i < PASSPHRASE_TRIES; i++) {
    const pass = await prompter.passphrase(path);
    if (pass === undefined) return undefined;
    const key = firstKey(utils.parseKey(data, pass));
    if (!(key instanceof Error)) return key;
  }
  log.unusable.push(`${path}: wrong passphrase`);
  return undefined;
}

/** The public halves of the identity files, from `<file>.pub`, else from an unencrypted key itself. */
async function publicBlobs(files: string[]): Promise<Buffer[]> {
  const { utils } = (await import('ssh2')).default;
  return files.flatMap((file) => {
    for (const path of [`${file}.pub`, file]) {
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        continue;
      }
      const key = firstKey(utils.parseKey(data));
      if (key && !(key instanceof Error)) return [key.getPublicSSH()];
    }
    return [];
  });
}

/**
 * The agent at `socket`, offering only the keys whose public half is in `allowed` (`IdentitiesOnly
 * yes`): an agent holding many keys would otherwise use up the server's MaxAuthTries on wrong ones.
 */
async function chosenKeysAgent(socket: string, allowed: Buffer[]): Promise<BaseAgent> {
  const { OpenSSHAgent } = (await import('ssh2')).default;
  return new (class extends OpenSSHAgent {
    override getIdentities(cb: IdentityCallback<ParsedKey>): void {
      super.getIdentities((err, keys) =>
        cb(err, keys?.filter((k) => 'getPublicSSH' in k && allowed.some((b) => b.equals(k.getPublicSSH())))),
      );
    }
  })(socket);
}

/**
 * ssh-agent first (when SSH_AUTH_SOCK is set), then each identity file in order, the way OpenSSH
 * orders them. Keys are read and unlocked only when their turn comes. Agent forwarding stays off.
 * With `identitiesOnly`, the agent offers only the keys of the identity files, as OpenSSH does.
 */
export function authHandler(opts: {
  username: string;
  agentSocket: string | undefined;
  identityFiles: string[];
  identitiesOnly: boolean;
  prompter: Prompter | undefined;
  log: AuthLog;
}): AuthHandlerMiddleware {
  const steps: (() => Promise<AnyAuthMethod | undefined>)[] = [];
  if (opts.agentSocket) {
    const socket = opts.agentSocket;
    steps.push(async () => {
      opts.log.tried.push(`ssh-agent (${socket}${opts.identitiesOnly ? ', keys of the identity files only' : ''})`);
      const agent = opts.identitiesOnly ? await chosenKeysAgent(socket, await publicBlobs(opts.identityFiles)) : socket;
      return { type: 'agent', username: opts.username, agent };
    });
  }
  for (const path of opts.identityFiles) {
    steps.push(async () => {
      const key = await unlock(path, opts.prompter, opts.log);
      if (!key) return undefined;
      opts.log.tried.push(path);
      return { type: 'publickey', username: opts.username, key };
    });
  }
  return (_methodsLeft, _partial, next) => {
    // ssh2 accepts `false` for "nothing left to try"; its typings do not say so.
    const giveUp = () => (next as unknown as (m: false) => void)(false);
    void (async () => {
      for (let step = steps.shift(); step; step = steps.shift()) {
        const method = await step();
        if (method) return next(method);
      }
      giveUp();
    })().catch(giveUp);
  };
}
