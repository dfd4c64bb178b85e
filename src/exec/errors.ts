import { ExitCode, GantryError } from '../../contracts/errors.js';

/**
 * The connection failed, as opposed to the command failing. `mayHaveRun` is true once the command was
 * sent: such a command is never replayed automatically (it may have had effects); callers decide, and
 * read-only operations may simply be asked again.
 */
export class TransportError extends GantryError {
  readonly target: string;
  readonly mayHaveRun: boolean;
  /** Connecting itself failed (after every retry); false when an established connection was lost. */
  readonly connectFailed: boolean;

  constructor(
    target: string,
    what: string,
    opts: { mayHaveRun: boolean; connectFailed: boolean; hint?: string; cause?: unknown },
  ) {
    super(ExitCode.REMOTE, what, {
      where: target,
      hint: opts.hint ?? (opts.mayHaveRun ? 'the command may have run on the target; check its effects before running it again' : undefined),
      cause: opts.cause,
    });
    this.name = 'TransportError';
    this.target = target;
    this.mayHaveRun = opts.mayHaveRun;
    this.connectFailed = opts.connectFailed;
  }
}

export const isTransportError = (e: unknown): e is TransportError => e instanceof TransportError;

/** A retry the transport made on its own (reconnect after a drop, a connect attempt that failed). */
export interface CorrectableError {
  target: string;
  /** 1 for the first retry. */
  attempt: number;
  /** How long the transport waits before this retry. */
  delayMs: number;
  reason: string;
}
export type CorrectableErrorSink = (e: CorrectableError) => void;
