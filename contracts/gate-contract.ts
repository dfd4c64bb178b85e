import { z } from 'zod';

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const Path = z.string().min(1).describe('output path; may use {slug}, {artifact_path}, {run_dir}');

export const Validation = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file_exists'), path: Path }).strict(),
  z
    .object({
      type: z.literal('min_sources'),
      path: Path,
      min: z.number().int().nonnegative(),
    })
    .strict()
    .describe('counts citation entries: list items (-, *, +, 1.) and [n] reference lines that contain a URL or DOI'),
  z.object({ type: z.literal('contains_headings'), path: Path, headings: z.array(z.string().min(1)).min(1) }).strict(),
  z
    .object({
      type: z.literal('not_contains'),
      path: Path,
      pattern: z.string().min(1),
      regex: z.boolean().default(false),
      severity: z.enum(['warn', 'fail']).default('fail'),
    })
    .strict()
    .refine((v) => !v.regex || compiles(v.pattern), { message: 'pattern is not a valid regular expression', path: ['pattern'] }),
  z.object({ type: z.literal('json_valid'), path: Path }).strict(),
]);
export type Validation = z.infer<typeof Validation>;

export const GateContract = z
  .object({
    gate: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a gate id such as G1'),
    name: z.string().min(1),
    description: z.string().optional(),
    instructions: z.string().optional().describe('what the agent or person must do; goes into the prompt packet'),
    required_outputs: z.array(Path).default([]),
    validations: z.array(Validation).default([]),
  })
  .strict();
export type GateContract = z.infer<typeof GateContract>;
