import { quote } from 'shlex';
import { ExitCode, GantryError } from '../../contracts/errors.js';

/**
 * One argument as a POSIX shell word that the remote shell hands back byte for byte: shlex's quote
 * leaves safe words bare and wraps the rest in single quotes (a `'` becomes `'"'"'`). A NUL cannot be
 * passed through any shell or exec() call, so it is refused instead of silently truncating.
 */
export function shQuote(arg: string): string {
  if (arg.includes('\0'))
    throw new GantryError(ExitCode.USAGE, 'a command argument contains a NUL byte, which no remote shell can pass on', {
      hint: 'remove the NUL character from the argument',
    });
  return quote(arg);
}

/** An argv as one command line for a POSIX shell, every word quoted. */
export function shCommand(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/** A path for the remote shell: a leading `~` or `~/` stays unquoted so the shell expands it to $HOME. */
export function shPath(path: string): string {
  if (path === '~') return '~';
  if (path.startsWith('~/')) return path.length === 2 ? '~/' : `~/${shQuote(path.slice(2))}`;
  return shQuote(path);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The command line sshd hands to the login shell: `[cd DIR &&] exec [env K=V ...] ARGV...`, every word
 * quoted. `exec` makes the command the session's own process, so a signal sent over the channel (on a
 * timeout or cancel) reaches it rather than an intermediate shell.
 */
export function remoteCommandLine(argv: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): string {
  if (argv.length === 0 || argv[0] === '')
    throw new GantryError(ExitCode.USAGE, 'no command to run', { hint: 'give the program and its arguments as a list' });
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => {
    if (!ENV_NAME.test(k))
      throw new GantryError(ExitCode.USAGE, `"${k}" is not a valid environment variable name`, { hint: 'use letters, digits and _' });
    return shQuote(`${k}=${v}`);
  });
  const command = ['exec', ...(env.length > 0 ? ['env', ...env] : []), shCommand(argv)].join(' ');
  return opts.cwd === undefined ? command : `cd ${shPath(opts.cwd)} && ${command}`;
}
