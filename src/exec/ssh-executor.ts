import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { DEFAULT_MAX_CAPTURE_BYTES, KILL_GRACE_MS, type Executor, type RunOptions, type RunResult, type TargetInfo } from './executor.js';
import { outputSink } from './lines.js';
import { PgidPreamble, remoteCommandLine } from './remote-command.js';
import type { SshConnection } from './ssh-connection.js';

/** sftp resolves relative paths against the login folder (home), so `~/x` is `x` there. */
const sftpPath = (p: string) => (p === '~' ? '.' : p.startsWith('~/') ? p.slice(2) || '.' : p);

const sftpCall = <T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));

const NO_SUCH_FILE = 2;

export class SshExecutor implements Executor {
  constructor(
    readonly target: string,
    private readonly connection: SshConnection,
  ) {}

  async describe(): Promise<TargetInfo> {
    await this.connection.connected();
    const { endpoint } = this.connection;
    return {
      kind: 'ssh',
      target: this.target,
      host: endpoint.host,
      user: endpoint.user,
      port: endpoint.port,
      hostKeyFingerprint: this.connection.hostKeyFingerprint,
      via: this.connection.via,
    };
  }

  async run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const command = remoteCommandLine(argv, opts);
    return this.connection.withSlot((client) => this.connection.exec(client, command, (channel) => this.collect(client, channel, opts)));
  }

  private collect(client: Client, channel: ClientChannel, opts: RunOptions): Promise<RunResult> {
    const limit = opts.maxCaptureBytes ?? DEFAULT_MAX_CAPTURE_BYTES;
    const out = outputSink(opts.onStdout, limit);
    const err = outputSink(opts.onStderr, limit);
    return new Promise((resolve, reject) => {
      let exit: { code: number | null; signal: string | null } | undefined;
      let timedOut = false;
      let canceled = false;
      const timers: NodeJS.Timeout[] = [];
      let stopping = false;
      // A stop asked for before the command reported its group is carried out when the report arrives.
      const preamble = new PgidPreamble(
        (b) => err.push(b),
        (pgid) => stopping && this.signalGroup(client, pgid, 'TERM'),
      );
      // TERM the command's process group, then KILL it and close the channel.
      const stop = () => {
        stopping = true;
        this.signalGroup(client, preamble.pgid, 'TERM');
        timers.push(setTimeout(() => (this.signalGroup(client, preamble.pgid, 'KILL'), channel.close()), KILL_GRACE_MS));
      };
      const onAbort = () => {
        canceled = true;
        stop();
      };
      if (opts.timeoutMs !== undefined) timers.push(setTimeout(() => ((timedOut = true), stop()), opts.timeoutMs));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) onAbort();

      channel.on('data', (b: Buffer) => out.push(b));
      channel.stderr.on('data', (b: Buffer) => preamble.push(b));
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code: code ?? null, signal: signal ?? null };
      });
      // Without an error listener a channel error would crash the process; 'close' reports the outcome.
      channel.on('error', () => {});
      channel.on('close', () => {
        timers.forEach(clearTimeout);
        opts.signal?.removeEventListener('abort', onAbort);
        out.end();
        preamble.end();
        err.end();
        if (canceled) return reject(new GantryError(ExitCode.INTERRUPTED, `canceled: ${this.target}`));
        if (!exit && !timedOut && !this.connection.isLive(client))
          return reject(this.connection.lost('the command was running when the connection dropped', true));
        resolve({
          exitCode: exit?.code ?? null,
          signal: exit?.signal ?? (timedOut ? 'SIGTERM' : null),
          timedOut,
          stdout: out.bytes(),
          stderr: err.bytes(),
          truncated: out.truncated() || err.truncated(),
        });
      });
      channel.end(opts.stdin);
    });
  }

  /**
   * Signals a command's process group from a channel of its own, outside the channel slots: a queue
   * full of timed-out commands must still be able to end them.
   */
  private signalGroup(client: Client, pgid: number | undefined, signal: 'TERM' | 'KILL'): void {
    if (pgid === undefined || !this.connection.isLive(client)) return;
    client.exec(`kill -${signal} -${pgid}`, (e, ch) => {
      if (e) return;
      ch.on('error', () => {});
      ch.resume();
      ch.stderr.resume();
      ch.end();
    });
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    return this.transfer(`upload ${localPath} to ${this.target}:${remotePath}`, async (sftp) => {
      const to = sftpPath(remotePath);
      await mkdirs(sftp, posix.dirname(to));
      await putTree(sftp, localPath, to);
    });
  }

  download(remotePath: string, localPath: string): Promise<void> {
    return this.transfer(`download ${this.target}:${remotePath}`, async (sftp) => getTree(sftp, sftpPath(remotePath), localPath));
  }

  /** Runs an sftp job on its own channel; maps a missing file and a lost connection to clear errors. */
  private transfer(what: string, job: (sftp: SFTPWrapper) => Promise<void>): Promise<void> {
    return this.connection.withSlot(async (client) => {
      const sftp = await this.connection.sftp(client);
      // ssh2 can leave fastPut/fastGet pending forever once the connection is gone (it waits for replies
      // that never come): a close of the client or the channel ends the transfer as a lost connection.
      let onClose = () => {};
      const dropped = new Promise<never>((_, reject) => {
        onClose = () => reject(this.connection.lost(`${what} was interrupted (it may be partial)`, true));
        client.once('close', onClose);
        sftp.once('close', onClose);
      });
      dropped.catch(() => undefined);
      try {
        await Promise.race([job(sftp), dropped]);
      } catch (e) {
        if (e instanceof GantryError) throw e;
        if (!this.connection.isLive(client)) throw this.connection.lost(`${what} was interrupted (it may be partial)`, true);
        const code = (e as { code?: number | string }).code;
        if (code === NO_SUCH_FILE || code === 'ENOENT')
          throw new GantryError(ExitCode.NOT_FOUND, `${what}: ${(e as Error).message}`, { where: this.target, hint: 'check the path' });
        throw new GantryError(ExitCode.FAILED, `${what} failed: ${(e as Error).message}`, { where: this.target });
      } finally {
        client.off('close', onClose);
        sftp.off('close', onClose);
        sftp.end();
      }
    });
  }
}

/** `mkdir -p` over sftp. */
async function mkdirs(sftp: SFTPWrapper, dir: string): Promise<void> {
  if (dir === '.' || dir === '/' || dir === '') return;
  try {
    if ((await sftpCall<{ isDirectory(): boolean }>((cb) => sftp.stat(dir, cb))).isDirectory()) return;
  } catch (e) {
    if ((e as { code?: number }).code !== NO_SUCH_FILE) throw e;
  }
  await mkdirs(sftp, posix.dirname(dir));
  await sftpCall<void>((cb) => sftp.mkdir(dir, cb)).catch(async (e: unknown) => {
    // Created meanwhile (a concurrent transfer) is fine; anything else is not.
    const st = await sftpCall<{ isDirectory(): boolean }>((cb) => sftp.stat(dir, cb)).catch(() => undefined);
    if (!st?.isDirectory()) throw e;
  });
}

/** Copies a local file or folder (symlinks followed, like scp -r) to exactly `to`; modes kept. */
async function putTree(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  const st = await stat(from);
  if (st.isDirectory()) {
    await mkdirs(sftp, to);
    for (const name of await readdir(from)) await putTree(sftp, join(from, name), posix.join(to, name));
  } else {
    await sftpCall<void>((cb) => sftp.fastPut(from, to, { mode: st.mode & 0o7777 }, cb));
  }
}

async function getTree(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  const st = await sftpCall<{ isDirectory(): boolean; mode: number }>((cb) => sftp.stat(from, cb));
  if (st.isDirectory()) {
    await mkdir(to, { recursive: true });
    const entries = await sftpCall<{ filename: string }[]>((cb) => sftp.readdir(from, cb));
    for (const { filename } of entries) await getTree(sftp, posix.join(from, filename), join(to, filename));
  } else {
    await mkdir(join(to, '..'), { recursive: true });
    await sftpCall<void>((cb) => sftp.fastGet(from, to, cb));
    await chmod(to, st.mode & 0o7777);
  }
}
