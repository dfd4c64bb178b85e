/**
 * What the screens may ask of the program around them. The composition root (src/cli/console.ts)
 * implements these with the engine, the record and the terminal; screens never touch fs, ssh or
 * child processes themselves.
 */
export interface EngineCommands {
  /** Answers a waiting gate: run its validations, or fail it with the reason typed. */
  answerGate(gate: string, attempt: number, answer: { action: 'finish' } | { action: 'fail'; reason: string }): void;
  /** Saves log lines under the run's logs/ folder. */
  saveLog(key: string, lines: string[]): void;
  /** Opens a prompt packet (path relative to the run folder) in $PAGER or $EDITOR. */
  openPacket(packetPath: string, program: 'pager' | 'editor'): void;
  /** Runs screen: follow this run in the cockpit. */
  openRun(runId: string): void;
  /** Back from a followed run to the runs screen. */
  closeRun(): void;
  /** Leaves the console. */
  quit(): void;
  /** Ctrl-C: cancels a run this process owns, else leaves. */
  interrupt(): void;
  /** The answer to the engine's open question: yes/no, a typed secret, or undefined (declined). */
  answerQuestion(answer: boolean | string | undefined): void;
}
