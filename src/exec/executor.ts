/**
 * The Executor port (DESIGN.md §6): run a command given as an argv, stream its output line by line,
 * move files and folders. Adapters: local-executor.ts (execa) and ssh-executor.ts (ssh2). Tracked tasks
 * (tasks.ts) are built on this port alone, so they behave the same on every target. Executors come from
 * ExecutorPool (pool.ts), which owns the connections and closes them.
 */
export interface RunOptions {
  /** Working directory on the target (`~/x` is the target user's home). */
  cwd?: string;
  /** Extra environment variables for the command. */
  env?: Record<string, string>;
  stdin?: string | Buffer;
  /** Called per line of stdout; stdout is then not captured into the result. */
  onStdout?: (line: string) => void;
  /** Called per line of stderr; stderr is then not captured into the result. */
  onStderr?: (line: string) => void;
  /** Ends the command (TERM, then KILL/close after a grace period) and resolves with `timedOut`. */
  timeoutMs?: number;
  /** Ends the command and rejects with a GantryError(INTERRUPTED). */
  signal?: AbortSignal;
  /** Cap on each captured stream; more output sets `truncated`. Default 16 MiB. */
  maxCaptureBytes?: number;
}

export interface RunResult {
  /** null when the command was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended it, as Node names them (SIGTERM). */
  signal: string | null;
  timedOut: boolean;
  /** Captured stdout (empty when onStdout was given). */
  stdout: Buffer;
  stderr: Buffer;
  truncated: boolean;
}

export interface TargetInfo {
  kind: 'local' | 'ssh';
  /** The target as the user wrote it. */
  target: string;
  host: string;
  user: string;
  port: number | null;
  /** `SHA256:...` of the host key the connection was verified with (ssh only). */
  hostKeyFingerprint: string | null;
  /** The ProxyJump hop, as `user@host:port` (ssh only). */
  via: string | null;
}

export interface Executor {
  readonly target: string;
  /** Connects if needed and says where commands run. */
  describe(): Promise<TargetInfo>;
  /**
   * Runs argv[0] with arguments argv[1..]. A non-zero exit is a result, not an error; a lost connection
   * rejects with TransportError and the command is not replayed.
   */
  run(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Copies a local file or folder to exactly `remotePath` (parents created; folders recursively). */
  upload(localPath: string, remotePath: string): Promise<void>;
  /** Copies a file or folder on the target to exactly `localPath` (parents created). */
  download(remotePath: string, localPath: string): Promise<void>;
}

export const DEFAULT_MAX_CAPTURE_BYTES = 16 << 20;
/** Time a command gets between TERM and KILL when it times out or is canceled. */
export const KILL_GRACE_MS = 2000;
