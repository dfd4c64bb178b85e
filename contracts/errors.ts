/**
 * Exit codes are part of gantry's public interface (README "Exit codes"). Scripts branch on them,
 * so a code never changes meaning once shipped.
 */
export const ExitCode = {
  OK: 0,
  FAILED: 1, // a gate, check, court or run failed (the work was judged and did not pass)
  USAGE: 2, // bad command line
  INVALID_INPUT: 3, // a config, contract, CSV, workflow or other input file is malformed
  POLICY: 4, // policy violation: would prompt in non-TTY mode, consent missing, override refused
  NOT_FOUND: 5, // unknown run, gate, workflow, task or file
  LOCKED: 6, // another writer holds the run or workspace lock
  REMOTE: 7, // transport failure: connection, authentication, host key
  UNVERIFIED: 8, // the court could not verify (auditor timeout, crash, unparsable verdict)
  TIMEOUT: 9, // a wait bounded by a timeout ran out (approval, task)
  INTERNAL: 10, // a bug in gantry: please report it
  INTERRUPTED: 130, // SIGINT / SIGTERM: the run was canceled and its record closed
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error a user can cause and fix: one message saying what, where, and what to do. */
export class GantryError extends Error {
  readonly code: ExitCodeValue;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ExitCodeValue, what: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(what, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GantryError';
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
  }

  /** One line per part, ready for stderr. */
  render(): string {
    const lines = [`gantry: ${this.message}`];
    if (this.where) lines.push(`  where: ${this.where}`);
    if (this.hint) lines.push(`  fix:   ${this.hint}`);
    return lines.join('\n');
  }
}

export const isGantryError = (e: unknown): e is GantryError => e instanceof GantryError;
