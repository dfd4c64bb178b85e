import { cp, mkdir } from 'node:fs/promises';
import { homedir, hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { DEFAULT_MAX_CAPTURE_BYTES, KILL_GRACE_MS, type Executor, type RunOptions, type RunResult, type TargetInfo } from './executor.js';
import { outputSink } from './lines.js';
import { checkArgv } from './quote.js';

/** `~` and `~/x` mean the home folder here too, so paths read the same on every target. */
const expandHome = (p: string) => (p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p);

/** Exit codes a POSIX shell reports when it cannot start a command, so local and ssh results agree. */
const SPAWN_FAILURE_EXIT: Record<string, number> = { ENOENT: 127, EACCES: 126 };

export class LocalExecutor implements Executor {
  readonly target = 'local';

  async describe(): Promise<TargetInfo> {
    return { kind: 'local', target: 'local', host: hostname(), user: userInfo().username, port: null, hostKeyFingerprint: null, via: null };
  }

  async run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    checkArgv(argv);
    const limit = opts.maxCaptureBytes ?? DEFAULT_MAX_CAPTURE_BYTES;
    const sub = execa(argv[0], argv.slice(1), {
      cwd: opts.cwd === undefined ? undefined : expandHome(opts.cwd),
      env: opts.env,
      // No stdin given means end-of-file at once, as over ssh.
      ...(opts.stdin === undefined ? { stdin: 'ignore' as const } : { input: opts.stdin }),
      buffer: false,
      reject: false,
      stripFinalNewline: false,
      // Its own process group, so a timeout or cancel ends everything it started, as over ssh.
      detached: true,
    });
    const out = outputSink(opts.onStdout, limit);
    const err = outputSink(opts.onStderr, limit);
    sub.stdout?.on('data', (b: Buffer) => out.push(b));
    sub.stderr?.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    let canceled = false;
    const timers: NodeJS.Timeout[] = [];
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (sub.pid !== undefined) process.kill(-sub.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = () => {
      signalGroup('SIGTERM');
      timers.push(setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS));
    };
    const onAbort = () => ((canceled = true), stop());
    if (opts.timeoutMs !== undefined) timers.push(setTimeout(() => ((timedOut = true), stop()), opts.timeoutMs));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const r = await sub;
    timers.forEach(clearTimeout);
    opts.signal?.removeEventListener('abort', onAbort);
    out.end();
    err.end();
    if (canceled) throw new GantryError(ExitCode.INTERRUPTED, 'canceled: local');
    const spawnFailure = r.exitCode === undefined && !r.signal ? SPAWN_FAILURE_EXIT[(r as { code?: string }).code ?? ''] : undefined;
    return {
      exitCode: spawnFailure ?? r.exitCode ?? null,
      signal: r.signal ?? null,
      timedOut,
      stdout: out.bytes(),
      stderr: spawnFailure ? Buffer.from(`${argv[0]}: ${r.originalMessage ?? 'cannot run'}\n`) : err.bytes(),
      truncated: out.truncated() || err.truncated(),
    };
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    return copy(localPath, expandHome(remotePath));
  }

  download(remotePath: string, localPath: string): Promise<void> {
    return copy(expandHome(remotePath), localPath);
  }
}

async function copy(from: string, to: string): Promise<void> {
  try {
    await mkdir(dirname(to), { recursive: true });
    // Symlinks are followed, as the ssh adapter (and scp -r) does.
    await cp(from, to, { recursive: true, dereference: true, force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new GantryError(ExitCode.NOT_FOUND, `no such file: ${from}`, { where: 'local', hint: 'check the path' });
    throw new GantryError(ExitCode.FAILED, `copying ${from} to ${to} failed: ${err.message}`, { where: 'local' });
  }
}
