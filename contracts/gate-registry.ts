import { z } from 'zod';
import { SafeId } from './common.js';
import { Better } from './work-item.js';

/**
 * The gate registry (`gates.toml`, seed 002): every gate a work-item contract may name, by ID, and named
 * bundles of gates. Tier A gates run here (CPU, container); tier B gates run on a target (an accelerator
 * host) as tracked tasks, after a maintainer approves.
 */
export const Tier = z.enum(['A', 'B']);
export type Tier = z.infer<typeof Tier>;

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

export const GateDef = z
  .object({
    tier: Tier,
    kind: z
      .enum(['command', 'perf'])
      .default('command')
      .describe('command: judged by its exit code; perf: judged by `gantry perf delta` against a budget'),
    description: z.string().optional(),
    command: z.array(z.string().min(1)).min(1).optional().describe('argument list, never a shell string'),
    requires: z.array(EnvName).default([]).describe('environment variables the gate needs; missing ones fail it at once'),
    gpus: z.number().int().nonnegative().optional(),
    config: z.string().optional(),
    steps: z.number().int().positive().optional(),
    timeout_secs: z.number().positive().optional(),
    better: Better.optional().describe('perf gates: which way the metric improves (default higher)'),
  })
  .strict()
  .check(
    // Runs even when other keys failed (as below), so every problem of the registry is reported at once.
    z.superRefine(
      (g, ctx) => {
        const kind = g.kind ?? 'command';
        if (kind === 'command' && !g.command)
          ctx.addIssue({ code: 'custom', path: ['command'], message: 'a command gate needs `command = ["prog", "arg", ...]`' });
        if (kind === 'perf' && g.command)
          ctx.addIssue({ code: 'custom', path: ['command'], message: 'a perf gate has no command; `gantry perf delta` judges it' });
      },
      { when: () => true },
    ),
  );
export type GateDef = z.infer<typeof GateDef>;

export const BundleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-"');

export const PublicSafety = z
  .object({
    internal_hosts: z.array(z.string().min(1)).default([]).describe('globs of internal host names, e.g. "*.corp.internal"'),
    allow: z.array(z.string().min(1)).default(['127.0.0.1', '0.0.0.0', '::1']).describe('literals never reported'),
  })
  .strict();
export type PublicSafety = z.infer<typeof PublicSafety>;

export const TierB = z
  .object({
    remote_root: z
      .string()
      .min(1)
      .default('~/gantry-gates')
      .describe('folder on the target under which each commit is unpacked and its tier B gates run'),
  })
  .strict();

export const GateRegistry = z
  .object({
    gates: z.record(SafeId, GateDef),
    bundles: z
      .record(BundleName, z.array(z.string().min(1)).min(1))
      .default({})
      .describe('named sets of gates; an entry is a gate ID or another bundle'),
    tier_b: TierB.prefault({}),
    public_safety: PublicSafety.prefault({}),
  })
  .strict()
  .check(
    z.superRefine(
      (r, ctx) => {
        const gates = r.gates ?? {};
        const bundles = r.bundles ?? {};
        for (const [name, members] of Object.entries(bundles)) {
          if (Object.hasOwn(gates, name))
            ctx.addIssue({ code: 'custom', path: ['bundles', name], message: `bundle "${name}" has the name of a gate` });
          if (Array.isArray(members))
            members.forEach((m, i) => {
              if (!Object.hasOwn(gates, m) && !Object.hasOwn(bundles, m))
                ctx.addIssue({ code: 'custom', path: ['bundles', name, i], message: `"${m}" is neither a gate nor a bundle` });
            });
        }
      },
      { when: () => true },
    ),
  );
export type GateRegistry = z.infer<typeof GateRegistry>;
