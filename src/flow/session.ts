import type { StepStatus } from '../../contracts/common.js';
import type { FlowOptions, FlowStart, FsmStateName, TargetBinding, WorkflowEnv } from '../../contracts/flow.js';
import type { Workspace } from '../config/workspace.js';
import type { Executor } from '../exec/executor.js';
import type { RunWriter } from '../records/run-writer.js';
import type { ConfigChoice } from './config.js';

/** What one phase did, before the court judges it. */
export interface PhaseOutcome {
  status: StepStatus;
  /** 0 for ok/skip; a failure code of the phase's family otherwise (constitution.ts CODES). */
  code: number;
  /** The reference auditor's command name for what the phase did (e.g. sweep-start, provision-policy). */
  command: string;
  rc: number;
  message: string | null;
  /** The phase's main artifact (a local path, or `<target>:<path>` for a file on the target). */
  artifact: string | null;
  /** Phase-specific evidence (commit checked out, rows launched, files fetched with sha256, ...). */
  details: Record<string, unknown>;
  /** Local files the phase must have produced; the deterministic court checks they exist and parse. */
  outputs: string[];
  /** An FSM transition the phase made or refused. */
  fsm?: { from: FsmStateName; to: FsmStateName; legal: boolean };
  timedOut?: boolean;
}

/** Asks a person (TTY) or answers from consent given up front; refuses in non-TTY mode without consent. */
export type Confirm = (question: string) => Promise<boolean>;

/** Everything the phases of one flow share. Created by the flow command, filled in phase by phase. */
export interface FlowSession {
  ws: Workspace;
  writer: RunWriter;
  signal: AbortSignal;
  choice: ConfigChoice;
  /** The checked config; null until P00 has validated it. */
  env: WorkflowEnv | null;
  options: FlowOptions;
  interactive: boolean;
  /** --yes or LIUM_YES=1: provisioning and deletion consented to up front (LAW_4). */
  consent: boolean;
  confirm: Confirm;
  start: FlowStart;
  startFile: string;
  binding: TargetBinding | null;
  exec: Executor | null;
  /** 1 for a new flow; n when `gantry flow` resumed an interrupted flow for the (n-1)th time. */
  attempt: number;
  /** Counts of the sweep as last seen, for flow.summary.json. */
  sweep: { rows: number; done: number; failed: string[]; running: number } | null;
  tornDown: boolean;
  /** The phase that halted the flow and the code the summary reports for it. */
  halted: { phase: string; code: number; reason: string } | null;
  /** Opens an executor for a target (the composition root decides which adapter and options). */
  connect: (target: string) => Promise<Executor>;
  /** Closes every connection (before a pod is deleted, and at the end of the flow). */
  disconnect: () => Promise<void>;
}

export const ok = (command: string, extra: Partial<PhaseOutcome> = {}): PhaseOutcome => ({
  status: 'ok',
  code: 0,
  command,
  rc: 0,
  message: null,
  artifact: null,
  details: {},
  outputs: [],
  ...extra,
});

export const skip = (command: string, message: string, extra: Partial<PhaseOutcome> = {}): PhaseOutcome =>
  ok(command, { status: 'skip', message, ...extra });

/** A phase failure with its code; thrown inside a phase and turned into its outcome by the runner. */
export class PhaseFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly command: string,
    readonly details: Record<string, unknown> = {},
    readonly tier: 'uncorrected' | 'fatal' | 'policy' = 'fatal',
    readonly fsm?: PhaseOutcome['fsm'],
  ) {
    super(message);
    this.name = 'PhaseFailure';
  }
}

/** The active config, or a failure when P00 has not validated one (phases after P00 never see this). */
export function envOf(s: FlowSession): WorkflowEnv {
  if (!s.env) throw new Error('workflow.env was not validated by P00');
  return s.env;
}

export function execOf(s: FlowSession): Executor {
  if (!s.exec) throw new Error('no target bound (P20 did not run)');
  return s.exec;
}
