import type { Duplex } from 'node:stream';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { backoffDelay, sleep } from './backoff.js';
import { TransportError, type CorrectableErrorSink } from './errors.js';
import { checkHostKey, fingerprint, hostKeyName, keyTypeOf, knownKeyTypes, recordHostKey } from './known-hosts.js';
import type { Prompter } from './prompter.js';
import { Semaphore } from './semaphore.js';
import { authHandler, type AuthLog } from './ssh-auth.js';
import { describeEndpoint, type SshEndpoint } from './ssh-config.js';

export interface SshOptions {
  env: NodeJS.ProcessEnv;
  /** Present only when a person can answer (a terminal). */
  prompter?: Prompter;
  /** Trust and record an unknown host key, as `ssh -o StrictHostKeyChecking=accept-new` does. */
  acceptNewHostKey?: boolean;
  /** Told about every reconnect attempt, so the run record can count them. */
  onCorrectableError?: CorrectableErrorSink;
  /** How often a failed connect is retried before giving up. Default 5. */
  connectRetries?: number;
}

/** OpenSSH allows 10 sessions per connection (MaxSessions); 8 leaves room for someone else's sftp. */
export const CHANNEL_LIMIT = 8;
const KEEPALIVE_MS = 15_000;
const KEEPALIVE_COUNT = 3;
const READY_TIMEOUT_MS = 20_000;
const DEFAULT_CONNECT_RETRIES = 5;
const OPEN_RETRIES = 8;
const OPEN_RETRY_MS = 10;
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** A connect failure worth another try (the network), as opposed to one that would fail the same way again. */
class RetryableConnectError extends Error {}

/** The handshake should offer the key types known_hosts already has for this host first (as OpenSSH does). */
function hostKeyAlgorithms(knownTypes: string[]): string[] {
  const preferred = HOST_KEY_ALGORITHMS.filter((a) =>
    knownTypes.some((t) => t === a || (t === 'ssh-rsa' && a.startsWith('rsa-sha2-'))),
  );
  return [...preferred, ...HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}

/**
 * One SSH connection to one endpoint, shared by every command for it: opened on first use, kept alive,
 * reopened after a drop with exponential backoff, at most CHANNEL_LIMIT channels at once (the rest queue).
 */
export class SshConnection {
  readonly label: string;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  /** Why the last established connection ended; set means the next connect is a reconnect. */
  private lostReason: string | undefined;
  private hostKey: Buffer | undefined;
  private jump: SshConnection | undefined;
  private readonly slots = new Semaphore(CHANNEL_LIMIT);

  constructor(
    readonly endpoint: SshEndpoint,
    private readonly opts: SshOptions,
  ) {
    this.label = describeEndpoint(endpoint);
  }

  /** SHA256 fingerprint of the host key the current connection was verified with. */
  get hostKeyFingerprint(): string | null {
    return this.hostKey ? fingerprint(this.hostKey) : null;
  }

  get via(): string | null {
    return this.endpoint.jump ? describeEndpoint(this.endpoint.jump) : null;
  }

  /** The open client, or a new connection (retried with backoff on network failures). */
  connected(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connectWithRetries().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** True while `client` is still this connection's live client. */
  isLive(client: Client): boolean {
    return this.client === client;
  }

  /** Runs `fn` holding one of the connection's channel slots. */
  withSlot<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    return this.slots.with(async () => fn(await this.connected()));
  }

  /**
   * Opens an exec channel for `command` (a complete, already quoted command line) and hands it to `use`
   * at once, inside ssh2's callback: a fast command's exit status can arrive in the same packet batch
   * as the channel itself, and a listener attached a tick later would miss it.
   */
  exec<T>(client: Client, command: string, use: (channel: ClientChannel) => Promise<T>): Promise<T> {
    return this.open<{ result: Promise<T> }>(client, 'could not start the command', (done) =>
      client.exec(command, (err, channel) => (err ? done(err) : done(undefined, { result: use(channel) }))),
    ).then((opened) => opened.result);
  }

  sftp(client: Client): Promise<SFTPWrapper> {
    return this.open(client, 'could not open sftp', (done) => client.sftp((err, sftp) => done(err, sftp)));
  }

  /**
   * sshd frees a finished session only after a later turn of its loop, so a channel opened right after
   * another closed can be refused ("no more sessions") although we keep under its limit. A refused
   * channel ran nothing, so it is simply asked for again after a short pause.
   */
  private async open<T>(client: Client, what: string, request: (done: (err: Error | undefined, value?: T) => void) => void): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await new Promise<T>((resolve, reject) => request((err, value) => (err ? reject(err) : resolve(value as T))));
      } catch (e) {
        const message = (e as Error).message;
        const refused = /open failure/i.test(message) && this.isLive(client);
        if (refused && attempt < OPEN_RETRIES) {
          await sleep(OPEN_RETRY_MS * 2 ** attempt);
          continue;
        }
        // A refused channel or exec request never started anything; a vanished connection might have.
        if ((refused || /unable to exec/i.test(message)) && this.isLive(client))
          throw new TransportError(this.label, `${this.label} refused: ${what}: ${message}`, { mayHaveRun: false, connectFailed: false });
        throw this.lost(`${what}: ${message}`, true);
      }
    }
  }

  /** The TransportError for an operation that lost its connection. */
  lost(what: string, mayHaveRun: boolean): TransportError {
    return new TransportError(this.label, `connection to ${this.label} lost: ${what}`, { mayHaveRun, connectFailed: false });
  }

  async close(): Promise<void> {
    // A connect still under way would otherwise finish after the close and keep the process alive.
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    this.lostReason = undefined;
    client?.end();
    await this.jump?.close();
  }

  private async connectWithRetries(): Promise<Client> {
    const retries = this.opts.connectRetries ?? DEFAULT_CONNECT_RETRIES;
    let reason = this.lostReason;
    // After a drop, reconnecting is itself the first retry: it is counted and backed off like the others.
    for (let attempt = reason === undefined ? 0 : 1; ; attempt++) {
      if (attempt > 0) {
        const delayMs = backoffDelay(attempt);
        this.opts.onCorrectableError?.({ target: this.label, attempt, delayMs, reason: reason ?? 'unknown' });
        await sleep(delayMs);
      }
      try {
        const client = await this.connectOnce();
        this.lostReason = undefined;
        return client;
      } catch (e) {
        if (!(e instanceof RetryableConnectError)) throw e;
        reason = e.message;
        if (attempt >= retries)
          throw new TransportError(this.label, `cannot connect to ${this.label}: ${reason}`, {
            mayHaveRun: false,
            connectFailed: true,
            hint: `check that the host is up and reachable on port ${this.endpoint.port}, then try \`gantry target check\``,
          });
      }
    }
  }

  private async tunnel(jump: SshEndpoint): Promise<Duplex> {
    this.jump ??= new SshConnection(jump, this.opts);
    const via = await this.jump.connected();
    return new Promise((resolve, reject) =>
      via.forwardOut('127.0.0.1', 0, this.endpoint.host, this.endpoint.port, (err, stream) =>
        err
          ? reject(new RetryableConnectError(`jump host ${this.jump!.label} could not reach ${this.endpoint.host}:${this.endpoint.port}: ${err.message}`))
          : resolve(stream),
      ),
    );
  }

  private async connectOnce(): Promise<Client> {
    const { endpoint, opts } = this;
    const sock = endpoint.jump ? await this.tunnel(endpoint.jump) : undefined;
    const name = hostKeyName(endpoint.host, endpoint.port);
    // The user's file first: unknown keys are recorded there; the system files are only read.
    const hostFiles = [endpoint.knownHosts, ...endpoint.globalKnownHosts];
    const algorithms = hostKeyAlgorithms(knownKeyTypes(hostFiles, name));
    const log: AuthLog = { tried: [], locked: [], unusable: [] };
    let refusal: GantryError | undefined;
    let presented: Buffer | undefined;
    // Loaded on first connect, so commands for the local target never pay for it. ssh2 is CommonJS:
    // its classes come from the default export under ESM.
    const client = new (await import('ssh2')).default.Client();

    return new Promise<Client>((resolve, reject) => {
      let ready = false;
      let lastError: string | undefined;
      client.on('ready', () => {
        ready = true;
        // Commands are a few small packets each way; Nagle's algorithm would hold them back for an ACK.
        client.setNoDelay(true);
        this.client = client;
        this.hostKey = presented;
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        lastError = err.message;
        if (!ready) reject(refusal ?? this.classify(err, log));
      });
      client.on('close', () => {
        if (!ready) return reject(new RetryableConnectError(lastError ?? 'connection closed during the handshake'));
        if (this.client === client) {
          this.client = undefined;
          this.lostReason = `connection lost (${lastError ?? 'closed by the other side'})`;
        }
      });
      client.connect({
        host: endpoint.host,
        port: endpoint.port,
        sock,
        username: endpoint.user,
        keepaliveInterval: KEEPALIVE_MS,
        keepaliveCountMax: KEEPALIVE_COUNT,
        readyTimeout: READY_TIMEOUT_MS,
        algorithms: { serverHostKey: algorithms as never },
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          presented = key;
          this.verifyHostKey(name, hostFiles, key).then(
            () => verify(true),
            (e: unknown) => {
              refusal = e instanceof GantryError ? e : new GantryError(ExitCode.REMOTE, String(e));
              verify(false);
            },
          );
        },
        authHandler: authHandler({
          username: endpoint.user,
          agentSocket: opts.env.SSH_AUTH_SOCK || undefined,
          identityFiles: endpoint.identityFiles,
          identitiesOnly: endpoint.identitiesOnly,
          prompter: opts.prompter,
          log,
        }),
      });
    });
  }

  private classify(err: Error & { level?: string; code?: string }, log: AuthLog): Error {
    if (err.level === 'client-authentication') return this.authFailure(log);
    if (err.code === 'ENOTFOUND')
      return new GantryError(ExitCode.REMOTE, `cannot resolve host name ${this.endpoint.host}`, {
        where: this.label,
        hint: 'check the spelling of the target, or its HostName in your ssh config',
      });
    if (err.level === 'client-socket' || err.level === 'client-timeout' || RETRYABLE_CODES.has(err.code ?? ''))
      return new RetryableConnectError(err.message);
    return new GantryError(ExitCode.REMOTE, `SSH handshake with ${this.label} failed: ${err.message}`, {
      where: this.label,
      hint: 'the server speaks no algorithm gantry supports, or is not an SSH server',
    });
  }

  private authFailure(log: AuthLog): GantryError {
    const where = this.label;
    const notes = log.unusable.length > 0 ? `; unusable keys: ${log.unusable.join(', ')}` : '';
    if (log.locked.length > 0)
      return new GantryError(
        ExitCode.POLICY,
        `authentication to ${where} needs the passphrase of ${log.locked.join(', ')}, and there is no terminal to ask for it`,
        { where, hint: `load the key into ssh-agent first (ssh-add ${log.locked[0]}), or run gantry in a terminal` },
      );
    if (log.tried.length === 0)
      return new GantryError(ExitCode.REMOTE, `no credentials to offer ${where}: no ssh-agent (SSH_AUTH_SOCK) and no identity file${notes}`, {
        where,
        hint: 'start ssh-agent and ssh-add your key, or set IdentityFile for this host in your ssh config',
      });
    return new GantryError(ExitCode.REMOTE, `authentication to ${where} failed (tried ${log.tried.join(', ')})${notes}`, {
      where,
      hint: `check that the user is right and that the server's authorized_keys holds one of these keys`,
    });
  }

  /** Resolves when the key may be used; rejects with the reason it may not (fail closed). */
  private async verifyHostKey(name: string, files: readonly string[], key: Buffer): Promise<void> {
    const knownHosts = this.endpoint.knownHosts;
    const verdict = checkHostKey(files, name, key);
    const type = keyTypeOf(key);
    const fp = fingerprint(key);
    switch (verdict.kind) {
      case 'trusted':
        return;
      case 'revoked':
        throw new GantryError(ExitCode.REMOTE, `the host key of ${name} (${type} ${fp}) is marked @revoked; refusing to connect`, {
          where: `${verdict.file}:${verdict.line}`,
          hint: "ask the host's administrator for its current key; do not remove the @revoked line",
        });
      case 'changed':
        throw new GantryError(
          ExitCode.REMOTE,
          `HOST KEY CHANGED for ${name}: it presents ${type} ${fp}, which is not the key in known_hosts. Someone may be intercepting the connection, or the host was reinstalled`,
          {
            where: `${verdict.file}:${verdict.line}`,
            hint: `if you know the host was reinstalled, remove the old key (ssh-keygen -R '${name}' -f ${verdict.file}) and connect again`,
          },
        );
      case 'unknown': {
        // Only other key types known: the host should still have one of those (we asked for them first),
        // so a quiet accept-new here could accept an interceptor. A person may decide; nothing else does.
        const others = verdict.otherTypes;
        if (this.endpoint.acceptNew && others.length === 0) {
          recordHostKey(knownHosts, name, key);
          return;
        }
        if (this.opts.prompter) {
          if (await this.opts.prompter.confirmHostKey({ name, keyType: type, fingerprint: fp, otherTypes: others })) {
            recordHostKey(knownHosts, name, key);
            return;
          }
          throw new GantryError(ExitCode.REMOTE, `host key of ${name} (${type} ${fp}) not accepted`, { where: knownHosts });
        }
        if (others.length > 0)
          throw new GantryError(
            ExitCode.REMOTE,
            `${name} presents a ${type} key (${fp}) but known_hosts only has ${others.join(', ')} keys for it`,
            { where: knownHosts, hint: `if the host's keys really changed, remove its old entries (ssh-keygen -R '${name}' -f ${knownHosts})` },
          );
        if (this.opts.acceptNewHostKey) {
          recordHostKey(knownHosts, name, key);
          return;
        }
        throw new GantryError(ExitCode.POLICY, `unknown host key for ${name}: ${type} ${fp}, and no terminal to confirm it`, {
          where: knownHosts,
          hint: 'check the fingerprint with the host owner, then pass --accept-new-host-key to record it (like ssh -o StrictHostKeyChecking=accept-new)',
        });
      }
    }
  }
}
