import { z } from 'zod';
import { SafeId } from './common.js';

export const StepKind = z.enum([
  'precheck',
  'provision',
  'bind_target',
  'ready',
  'command',
  'checkout',
  'sweep',
  'monitor',
  'fetch',
  'teardown',
  'approval',
  'gate',
  'preflight',
  'audit',
  'summary',
]);
export type StepKind = z.infer<typeof StepKind>;

/** A typed skip test: skip the step when the named run option has one of the listed values. */
export const SkipWhen = z.object({ option: z.string().min(1), in: z.array(z.string()).min(1) }).strict();

export const Retry = z
  .object({
    max: z.number().int().min(0).max(20).default(0),
    backoff_ms: z.number().int().min(0).default(500),
  })
  .strict();

export const StepDef = z
  .object({
    id: SafeId,
    name: z.string().min(1),
    kind: StepKind,
    intent: z.string().optional(),
    laws: z.array(z.string()).default([]),
    command_names: z.array(z.string()).default([]),
    preconditions: z.array(z.string()).default([]),
    contract: z.string().optional().describe('gate contract file, relative to the contracts folder'),
    outputs: z.array(z.string()).default([]),
    failure_family: z.number().int().min(100).max(999).optional(),
    retry: Retry.optional(),
    timeout_secs: z.number().positive().optional(),
    skip_when: SkipWhen.optional(),
    with: z.record(z.string(), z.unknown()).default({}).describe('kind-specific parameters, checked by the step kind'),
  })
  .strict();
export type StepDef = z.infer<typeof StepDef>;

export const WorkflowDef = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case words joined by "-"'),
    version: z.string().default('local-dev'),
    description: z.string().optional(),
    steps: z.array(StepDef).min(1),
  })
  .strict()
  .superRefine((wf, ctx) => {
    const seen = new Set<string>();
    wf.steps.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id ${s.id}` });
      seen.add(s.id);
      if (s.kind === 'gate' && !s.contract)
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'contract'], message: 'a gate step needs a contract' });
    });
  });
export type WorkflowDef = z.infer<typeof WorkflowDef>;
