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

/** Checks an argv before any adapter runs it: a program to run, and no NUL anywhere. */
export function checkArgv(argv: readonly string[]): void {
  if (argv.length === 0 || argv[0] === '')
    throw new GantryError(ExitCode.USAGE, 'no command to run', { hint: 'give the program and its arguments as a list' });
  argv.forEach(shQuote);
}

/** A path for the remote shell: a leading `~` or `~/` stays unquoted so the shell expands it to $HOME. */
export function shPath(path: string): string {
  if (path === '~') return '~';
  if (path.startsWith('~/')) return path.length === 2 ? '~/' : `~/${shQuote(path.slice(2))}`;
  return shQuote(path);
}

