import { z } from 'zod';
import { Depth, ErrorTier, GateStatus, InvocationStatus, IsoTime, RunStatus, StepStatus } from './common.js';
import { ArtifactRecord, ValidationResult } from './attempt.js';

/** Fields every event carries. `seq` is 1-based and dense within a run. */
const Base = { seq: z.number().int().positive(), ts: IsoTime, run_id: z.string() };

export const WorkflowRef = z.object({
  name: z.string(),
  version: z.string(),
  slug: z.string(),
  artifact_path: z.string(),
});
export type WorkflowRef = z.infer<typeof WorkflowRef>;

export const StepRef = z.object({ id: z.string(), name: z.string(), kind: z.string() });

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({
    ...Base,
    type: z.literal('run.started'),
    workflow: WorkflowRef,
    depth: Depth,
    steps: z.array(StepRef),
    params: z.record(z.string(), z.string()).default({}),
    pid: z.number().int(),
    host: z.string(),
  }),
  z.object({ ...Base, type: z.literal('run.finished'), status: RunStatus, reason: z.string().nullable() }),
  z.object({ ...Base, type: z.literal('run.resumed'), pid: z.number().int(), host: z.string() }),
  z.object({ ...Base, type: z.literal('lock.recovered'), holder_pid: z.number().int(), holder_host: z.string() }),
  z.object({ ...Base, type: z.literal('gate.started'), gate: z.string(), name: z.string(), attempt: z.number().int(), agent: z.string() }),
  z.object({
    ...Base,
    type: z.literal('gate.waiting'),
    gate: z.string(),
    attempt: z.number().int(),
    packet: z.string().describe('prompt packet path, relative to the run folder'),
    answer_with: z.array(z.string()).describe('commands that answer this gate from another shell'),
  }),
  z.object({
    ...Base,
    type: z.literal('gate.answer_requested'),
    gate: z.string(),
    action: z.enum(['finish', 'fail']),
    reason: z.string().nullable(),
    by: z.string(),
  }),
  z.object({
    ...Base,
    type: z.literal('gate.finished'),
    gate: z.string(),
    attempt: z.number().int(),
    status: GateStatus,
    attempt_file: z.string(),
    failure_reason: z.string().nullable(),
    artifacts: z.array(ArtifactRecord),
    validations: z.array(ValidationResult),
  }),
  z.object({
    ...Base,
    type: z.literal('invocation.recorded'),
    invocation_id: z.string(),
    gate: z.string(),
    agent: z.string(),
    status: InvocationStatus,
  }),
  z.object({ ...Base, type: z.literal('step.started'), step: z.string(), name: z.string(), kind: z.string() }),
  z.object({
    ...Base,
    type: z.literal('step.finished'),
    step: z.string(),
    status: StepStatus,
    code: z.number().int(),
    artifact: z.string().nullable(),
    duration_ms: z.number().nonnegative(),
    message: z.string().nullable(),
  }),
  z.object({
    ...Base,
    type: z.literal('court.verdict'),
    step: z.string(),
    det: z.enum(['pass', 'fail']),
    const: z.enum(['pass', 'fail', 'unverified']),
    verdict: z.enum(['pass', 'fail', 'unverified']),
    violated_laws: z.array(z.string()),
    verdict_file: z.string(),
    next_command: z.string().nullable(),
  }),
  z.object({
    ...Base,
    type: z.literal('error.recorded'),
    tier: ErrorTier,
    step: z.string().nullable(),
    message: z.string(),
  }),
  z.object({ ...Base, type: z.literal('note'), step: z.string().nullable(), message: z.string() }),
  z.object({ ...Base, type: z.literal('sweep.log'), step: z.string(), row: z.string(), lines: z.array(z.string()) }),
  z.object({
    ...Base,
    type: z.literal('run.header'),
    fields: z
      .record(z.string(), z.string())
      .describe('constitutional header fields as they become known or change: config_path, config_sha256, target, target_source, transport, fsm_state, flow_id, ...'),
  }),
  z.object({
    ...Base,
    type: z.literal('sweep.row'),
    step: z.string(),
    row: z.string().describe("the row's run_id in the sweep manifest"),
    status: z.string().describe('pending | running | success | failed | timed_out | skipped'),
    log: z.string().nullable().describe("the row's log, relative to the run's logs/ folder"),
    message: z.string().nullable(),
  }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
export type EventType = EngineEvent['type'];
export type EventOf<T extends EventType> = Extract<EngineEvent, { type: T }>;
/** What a producer hands the record writer: it assigns seq, ts and run_id. */
export type EventInput = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'seq' | 'ts' | 'run_id'> : never) : never;
