import picomatch from 'picomatch';
import { z } from 'zod';
import { SafeId } from './common.js';

/**
 * A work-item contract (seed 002): what an agent may change, which gates must pass, and how the change is
 * sequenced against others. One top-level block names the work item — the seed calls it after its project
 * (`nmoe:`); any name is accepted — next to `scope`, `contract` and `gates`.
 */
export const RESERVED_BLOCKS = ['scope', 'contract', 'gates'] as const;

/** YAML reads `01` as the number 1, so ids may arrive as numbers; they are compared as text. */
export const IssueId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an issue id: letters, digits, ".", "_" and "-", starting with a letter or digit'))
  .describe('issue id, e.g. 03a');

/** Why a glob is unusable, or undefined when it is fine. Globs are matched against repo-relative paths. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'an empty glob';
  if (glob.startsWith('/')) return `"${glob}" is absolute; globs are relative to the repository root`;
  if (glob.includes('\\')) return `"${glob}" contains a backslash; use "/" between folders`;
  if (glob.split('/').includes('..')) return `"${glob}" climbs out with ".."`;
  if (glob.startsWith('!')) return `"${glob}" is negated; put the pattern in scope.deny instead`;
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
  } catch (e) {
    return `"${glob}" is not a valid glob: ${(e as Error).message}`;
  }
  return undefined;
}

export const Glob = z.string().superRefine((g, ctx) => {
  const problem = globProblem(g);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const Identity = z
  .object({
    issue: IssueId,
    slug: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
    kind: z.enum(['feature', 'bugfix', 'perf', 'refactor', 'docs']),
    risk: z.enum(['hot', 'warm', 'cold']),
    complexity: z.enum(['S', 'M', 'L']),
    depends_on: z.array(IssueId).default([]).describe('issues that must merge first'),
    merge_hotspots: z.array(Glob).default([]).describe('files this change expects to conflict on'),
  })
  .strict();
export type Identity = z.infer<typeof Identity>;

export const Scope = z
  .object({
    allow: z.array(Glob).min(1).describe('files the change MAY modify'),
    deny: z.array(Glob).default([]).describe('files the change MUST NOT touch (wins over allow)'),
  })
  .strict();
export type Scope = z.infer<typeof Scope>;

export const ContractBlock = z
  .object({
    invariants: z.array(z.string().min(1)).default([]),
    knobs: z
      .object({ add: z.array(z.string().min(1)).default([]), change: z.array(z.string().min(1)).default([]) })
      .strict()
      .prefault({}),
  })
  .strict();

export const Better = z.enum(['higher', 'lower']).describe('which way the metric improves');

export const PerfBudget = z
  .object({
    gate: SafeId.describe('a perf gate of the registry'),
    metric: z.string().min(1).describe('key (or dotted path) of the metric in the baseline and result JSON'),
    baseline_ref: z.string().min(1),
    budget_pct: z.number().describe('least acceptable delta in %: -10 means at most 10% worse'),
    better: Better.optional().describe('overrides the registry gate; default higher'),
  })
  .strict();
export type PerfBudget = z.infer<typeof PerfBudget>;

export const Gates = z
  .object({
    required: z.array(SafeId).default([]).describe('gate ids from the gate registry'),
    perf: PerfBudget.optional(),
  })
  .strict();

export const WorkItem = z
  .object({ scope: Scope, contract: ContractBlock.prefault({}), gates: Gates })
  .catchall(Identity)
  .check(
    // Runs even when other keys failed, so every problem of a contract is reported at once.
    z.superRefine(
      (raw, ctx) => {
        if (raw === null || typeof raw !== 'object') return;
        const blocks = Object.keys(raw).filter((k) => !(RESERVED_BLOCKS as readonly string[]).includes(k));
        if (blocks.length !== 1)
          ctx.addIssue({
            code: 'custom',
            path: blocks.length > 1 ? [blocks[1]!] : [],
            message:
              blocks.length === 0
                ? 'no identity block: add one top-level block (e.g. `nmoe:`) with issue, slug, kind, risk, complexity'
                : `exactly one identity block expected besides ${RESERVED_BLOCKS.join(', ')}; found ${blocks.join(', ')}`,
          });
      },
      { when: () => true },
    ),
  )
  .transform((raw) => {
    const { scope, contract, gates, ...rest } = raw;
    const [identity_block, identity] = Object.entries(rest)[0] as [string, Identity];
    return { identity_block, identity, scope, contract, gates };
  });
export type WorkItem = z.infer<typeof WorkItem>;
