import { resolveWorkspace, type Workspace } from '../config/workspace.js';

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Interactive: both stdin and stdout are terminals and --no-tty was not given. */
  tty: boolean;
  json: boolean;
  out(line: string): void;
  err(line: string): void;
  workspace(): Workspace;
  /** Aborted on SIGINT/SIGTERM; long-running commands end cleanly when it fires. */
  signal: AbortSignal;
}

export function makeContext(opts: {
  workspaceFlag: string | undefined;
  noTty: boolean;
  json: boolean;
  signal: AbortSignal;
}): CliContext {
  const tty = !opts.noTty && Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY);
  let ws: Workspace | undefined;
  return {
    cwd: process.cwd(),
    env: process.env,
    tty,
    json: opts.json,
    out: (line) => void process.stdout.write(line + '\n'),
    err: (line) => void process.stderr.write(line + '\n'),
    workspace: () => (ws ??= resolveWorkspace(opts.workspaceFlag, process.env, process.cwd())),
    signal: opts.signal,
  };
}
