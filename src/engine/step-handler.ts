import type { StepDef, StepKind, WorkflowDef } from '../../contracts/workflow.js';
import type { Workspace } from '../config/workspace.js';
import type { RunWriter } from '../records/run-writer.js';
import type { GateAnswerer } from './answers.js';

export interface RunContext {
  ws: Workspace;
  def: WorkflowDef;
  writer: RunWriter;
  answerer: GateAnswerer;
  signal: AbortSignal;
  /** Run options (CLI flags and their defaults), also the values `skip_when` tests. */
  options: Record<string, string>;
}

/** What a step ended in. `halt` stops the workflow (a gate FAIL, a court failure). */
export interface StepOutcome {
  halt: boolean;
  reason: string | null;
}

export type StepHandler = (step: StepDef, ctx: RunContext) => Promise<StepOutcome>;
export type StepHandlers = Partial<Record<StepKind, StepHandler>>;
