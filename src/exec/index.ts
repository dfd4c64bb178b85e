/** The public face of src/exec: what the engine and the CLI use. */
export type { Executor, RunOptions, RunResult, TargetInfo } from './executor.js';
export { ExecutorPool, type ExecutorOptions } from './pool.js';
export { TransportError, isTransportError, type CorrectableError, type CorrectableErrorSink } from './errors.js';
export type { Prompter } from './prompter.js';
export { parseTarget, type TargetSpec } from './target.js';
export { shQuote, shCommand } from './quote.js';
export {
  TrackedTasks,
  defaultOutputsDir,
  isHeld,
  isTerminal,
  TASK_RUNNER_CHOICES,
  TMUX_SESSION,
  type TaskRunnerChoice,
  type TaskStartRequest,
  type StartedTask,
  type LogChunk,
} from './tasks.js';
