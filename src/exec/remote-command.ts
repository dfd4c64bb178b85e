import { ExitCode, GantryError } from '../../contracts/errors.js';
import { checkArgv, shCommand, shPath, shQuote } from './quote.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PGID_LINE = /^gantry-pgid:(\d+)$/;
/** The preamble is one short line; anything longer is the command's own stderr. */
const MAX_PREAMBLE = 64;

/**
 * The command line sshd hands to the login shell:
 * `printf 'gantry-pgid:%s\n' "$$" >&2; [cd DIR &&] exec [env K=V ...] ARGV...`, every word quoted.
 * sshd makes each session's process a process-group leader and `exec` keeps its pid, so the first
 * stderr line names the group to end on a timeout or cancel. sshd's own signal request is no help
 * there: it refuses it for root logins, which GPU pods often use.
 */
export function remoteCommandLine(argv: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): string {
  checkArgv(argv);
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => {
    if (!ENV_NAME.test(k))
      throw new GantryError(ExitCode.USAGE, `"${k}" is not a valid environment variable name`, { hint: 'use letters, digits and _' });
    return shQuote(`${k}=${v}`);
  });
  const command = ['exec', ...(env.length > 0 ? ['env', ...env] : []), shCommand(argv)].join(' ');
  return `printf 'gantry-pgid:%s\\n' "$$" >&2; ${opts.cwd === undefined ? '' : `cd ${shPath(opts.cwd)} && `}${command}`;
}

/** Takes the `gantry-pgid:N` line off the front of stderr and passes the rest on untouched. */
export class PgidPreamble {
  pgid: number | undefined;
  private head: Buffer | null = Buffer.alloc(0);

  constructor(
    private readonly onStderr: (chunk: Buffer) => void,
    private readonly onPgid: (pgid: number) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.head === null) return this.onStderr(chunk);
    this.head = Buffer.concat([this.head, chunk]);
    const nl = this.head.indexOf(0x0a);
    if (nl === -1 && this.head.length < MAX_PREAMBLE) return;
    const m = nl === -1 ? null : PGID_LINE.exec(this.head.subarray(0, nl).toString('latin1'));
    if (m) {
      this.pgid = Number(m[1]);
      this.onPgid(this.pgid);
    }
    const rest = m ? this.head.subarray(nl + 1) : this.head;
    this.head = null;
    if (rest.length > 0) this.onStderr(rest);
  }

  end(): void {
    if (this.head && this.head.length > 0) this.onStderr(this.head);
    this.head = null;
  }
}
