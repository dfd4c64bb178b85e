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
