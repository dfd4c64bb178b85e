import { z } from 'zod';
import { Depth, GateStatus, InvocationStatus, IsoTime, RunStatus, StepStatus } from './common.js';
import { ArtifactRecord, ValidationResult } from './attempt.js';
import { WorkflowRef } from './events.js';

export const GateView = z.object({
  gate: z.string(),
  name: z.string(),
  status: GateStatus,
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      status: GateStatus,
      agent: z.string(),
      started_at: IsoTime,
      finished_at: IsoTime.nullable(),
      failure_reason: z.string().nullable(),
      file: z.string().nullable(),
    }),
  ),
});
export type GateView = z.infer<typeof GateView>;

export const PhaseView = z.object({
  step: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.union([StepStatus, z.literal('pending'), z.literal('running')]),
  code: z.number().int().nullable(),
  artifact: z.string().nullable(),
  started_at: IsoTime.nullable(),
  finished_at: IsoTime.nullable(),
  duration_ms: z.number().nullable(),
  message: z.string().nullable(),
  verdict: z.enum(['pass', 'fail', 'unverified']).nullable(),
  violated_laws: z.array(z.string()),
});
export type PhaseView = z.infer<typeof PhaseView>;

/** RUN.json: a materialised view, always re-derivable from events.jsonl. */
export const RunRecord = z.object({
  run_id: z.string(),
  workflow: WorkflowRef,
  depth: Depth,
  status: RunStatus,
  started_at: IsoTime,
  finished_at: IsoTime.nullable(),
  finish_reason: z.string().nullable(),
  params: z.record(z.string(), z.string()),
  gates: z.array(GateView),
  phases: z.array(PhaseView),
  invocations: z.array(
    z.object({ invocation_id: z.string(), gate: z.string(), agent: z.string(), status: InvocationStatus, recorded_at: IsoTime }),
  ),
  artifacts_index: z.array(ArtifactRecord.extend({ gate: z.string(), attempt: z.number().int() })),
  validations: z.array(ValidationResult.extend({ gate: z.string(), attempt: z.number().int() })),
  errors: z.object({ correctable: z.number(), uncorrected: z.number(), fatal: z.number(), policy: z.number() }),
  events: z
    .array(z.object({ seq: z.number().int(), ts: IsoTime, type: z.string() }))
    .describe('the most recent events (up to 500); events.jsonl holds every one'),
  event_count: z.number().int().describe('seq of the last folded event'),
  events_bytes: z.number().int().describe('size of events.jsonl when folded; RUN.json is stale when the log differs'),
});
export type RunRecord = z.infer<typeof RunRecord>;
