import { z } from 'zod';
import { GateStatus, IsoTime } from './common.js';

export const ArtifactRecord = z.object({
  path: z.string().describe('as written in the contract, variables unresolved'),
  resolved: z.string().describe('relative to the project root'),
  sha256: z.string().nullable(),
  bytes: z.number().int().nullable(),
  exists: z.boolean(),
});
export type ArtifactRecord = z.infer<typeof ArtifactRecord>;

export const ValidationResult = z.object({
  type: z.string(),
  path: z.string(),
  pass: z.boolean(),
  severity: z.enum(['warn', 'fail']).default('fail'),
  detail: z.string().optional(),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

export const Attempt = z.object({
  run_id: z.string(),
  gate: z.string(),
  attempt: z.number().int().positive(),
  status: GateStatus,
  started_at: IsoTime,
  finished_at: IsoTime.nullable(),
  agent: z.string(),
  invocation_ids: z.array(z.string()),
  required_outputs: z.array(z.string()),
  artifacts: z.array(ArtifactRecord),
  validations: z.array(ValidationResult),
  failure_reason: z.string().nullable(),
});
export type Attempt = z.infer<typeof Attempt>;
