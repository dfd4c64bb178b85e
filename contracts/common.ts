import { z } from 'zod';

export const IsoTime = z.string().describe('ISO-8601 UTC timestamp');
export const RunStatus = z.enum(['RUNNING', 'PASSED', 'FAILED', 'CANCELED']);
export type RunStatus = z.infer<typeof RunStatus>;
export const GateStatus = z.enum(['PENDING', 'RUNNING', 'WAITING', 'PASS', 'FAIL']);
export type GateStatus = z.infer<typeof GateStatus>;
export const Depth = z.enum(['quick', 'standard', 'deep']);
export type Depth = z.infer<typeof Depth>;
export const StepStatus = z.enum(['ok', 'skip', 'fail']);
export type StepStatus = z.infer<typeof StepStatus>;
export const ErrorTier = z.enum(['correctable', 'uncorrected', 'fatal', 'policy']);
export type ErrorTier = z.infer<typeof ErrorTier>;
export const InvocationStatus = z.enum(['SUCCESS', 'FAIL']);

/** Ids that become path segments: no separators, no dot-dot, no control characters. */
export const SafeId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-" only, starting with a letter or digit');
