import { z } from 'zod';
import { IsoTime } from './common.js';

/**
 * Workstation official runs (seed 001): the files of an audit folder
 * `<workspace>/audit/workstation_runs/<ts>_<workflow>_<tag>/`, the registry ledger, the candidate queue
 * and the workspace's `workstation.toml`.
 */

const Name = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, `${what}: letters, digits, ".", "_" and "-" only, starting with a letter or digit`);
/** A decision tag such as committee_2026-02-21_run1; it names the audit folder, so it is a safe path segment. */
export const WorkstationTag = Name('a tag');
/** The workflow the run's command runs (e.g. production_gates), not a gantry workflow file. */
export const WorkstationWorkflow = Name('a workflow name');

export const GitState = z.object({
  repo: z.boolean(),
  branch: z.string().nullable(),
  commit: z.string().nullable(),
  dirty: z.boolean().nullable(),
  /** `git status --porcelain` lines (at most 50); the gantry workspace folder is left out. */
  dirty_files: z.array(z.string()),
});
export type GitState = z.infer<typeof GitState>;

export const PreflightCheck = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });
export type PreflightCheck = z.infer<typeof PreflightCheck>;

/** preflight.json, and what `gantry preflight --json` prints. */
export const PreflightReport = z.object({
  ok: z.boolean(),
  checked_at: IsoTime,
  target: z.string(),
  hostname: z.string(),
  project_dir: z.string(),
  thresholds: z.object({ min_cores: z.number().positive(), min_mem_gb: z.number().positive(), require_clean: z.boolean() }),
  cores: z.number().int().nullable(),
  mem_gb: z.number().nullable(),
  git: GitState,
  checks: z.array(PreflightCheck),
  /** The failed checks' details: why the run is blocked. */
  failures: z.array(z.string()),
});
export type PreflightReport = z.infer<typeof PreflightReport>;

/** What happened to the data-quality gate; `skipped` is the audit trace of `--skip-dq --skip-reason`. */
export const DataQualityTrace = z.object({
  status: z.enum(['passed', 'failed', 'skipped', 'not_required', 'not_reached']),
  input_csv: z.string().nullable(),
  input_sha256: z.string().nullable(),
  command: z.array(z.string()).nullable(),
  exit_code: z.number().int().nullable(),
  skip_reason: z.string().nullable(),
  skipped_by: z.string().nullable(),
  started_at: IsoTime.nullable(),
  finished_at: IsoTime.nullable(),
});
export type DataQualityTrace = z.infer<typeof DataQualityTrace>;

/** context.json: who ran what, where, from which commit, with which options, and when. */
export const RunContextFile = z.object({
  tag: WorkstationTag,
  workflow: WorkstationWorkflow,
  owner: z.string().min(1),
  notes: z.string().nullable(),
  threads: z.number().int().positive().nullable(),
  thread_env: z.record(z.string(), z.string()),
  /** `local` or the --host target as given. */
  target: z.string(),
  hostname: z.string(),
  project_dir: z.string(),
  audit_dir: z.string(),
  git: GitState,
  /** The arguments given after `--`. */
  args: z.array(z.string()),
  /** The whole command that ran: the workflow's base command plus `args`. */
  command: z.array(z.string()),
  /** The gantry command line that started the run (after `gantry`). */
  gantry_argv: z.array(z.string()),
  gantry_run_id: z.string(),
  data_quality: DataQualityTrace,
  /** The tracked task the command runs as (null when the run was blocked before it started). */
  task: z.object({ target: z.string(), id: z.string(), outputs_dir: z.string() }).nullable(),
  report: z.object({ dir: z.string(), name: z.string() }),
  times: z.object({
    invoked_at: IsoTime,
    preflight_at: IsoTime.nullable(),
    data_quality_at: IsoTime.nullable(),
    run_started_at: IsoTime.nullable(),
  }),
});
export type RunContextFile = z.infer<typeof RunContextFile>;

/** result.json: written on the target by configs/workstation-runner.sh, or by gantry when blocked. */
export const RunResultFile = z.object({
  status: z.enum(['success', 'failed', 'blocked', 'canceled']),
  exit_code: z.number().int().nullable(),
  started_at: IsoTime.nullable(),
  finished_at: IsoTime,
  duration_secs: z.number().nonnegative(),
  /** Report files the run wrote (relative to the project folder when inside it). */
  reports: z.array(z.string()),
  blocked_by: z.enum(['preflight', 'data_quality']).nullable().default(null),
  reason: z.string().nullable().default(null),
});
export type RunResultFile = z.infer<typeof RunResultFile>;

export const GovernanceCheck = z.object({
  id: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /** The file the check is about, when there is one. */
  file: z.string().nullable(),
  /** The command that fixes a failed check. */
  fix: z.string().nullable(),
});
export type GovernanceCheck = z.infer<typeof GovernanceCheck>;

/** governance_audit_check.json */
export const GovernanceAuditCheck = z.object({
  ok: z.boolean(),
  checked_at: IsoTime,
  run_dir: z.string(),
  tag: z.string().nullable(),
  report_json: z.string().nullable(),
  require_final_summary: z.boolean(),
  checks: z.array(GovernanceCheck),
  failed: z.array(z.string()),
});
export type GovernanceAuditCheck = z.infer<typeof GovernanceAuditCheck>;

/** governance_remediation_plan.json (and the same as .md). */
export const RemediationPlan = z.object({
  ok: z.boolean().describe('true when nothing needs fixing'),
  generated_at: IsoTime,
  audit_json: z.string(),
  run_dir: z.string(),
  items: z.array(z.object({ check: z.string(), problem: z.string(), file: z.string().nullable(), command: z.string() })),
});
export type RemediationPlan = z.infer<typeof RemediationPlan>;

export const MetricValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One line of `<workspace>/audit/registry.jsonl`, the append-only ledger keyed by tag; the last row of a tag wins. */
export const RegistryRow = z.object({
  tag: WorkstationTag,
  workflow: z.string(),
  owner: z.string(),
  status: z.string(),
  run_dir: z.string(),
  report_json: z.string(),
  report_sha256: z.string(),
  git_commit: z.string().nullable(),
  metrics: z.record(z.string(), MetricValue),
  recorded_at: IsoTime,
});
export type RegistryRow = z.infer<typeof RegistryRow>;

export const FilterOp = z.enum(['>', '>=', '<', '<=', '==', '!=']);
export const QueueFilter = z.object({ metric: z.string().min(1), op: FilterOp, value: z.union([z.number(), z.string(), z.boolean()]) }).strict();
export type QueueFilter = z.infer<typeof QueueFilter>;

/** `<workspace>/audit/candidate_queue.json`: registry tags ranked by the configured metric. */
export const CandidateQueue = z.object({
  generated_at: IsoTime,
  registry: z.string(),
  metric: z.string().nullable(),
  order: z.enum(['desc', 'asc']),
  filters: z.array(QueueFilter),
  candidates: z.array(
    z.object({
      rank: z.number().int().positive(),
      tag: z.string(),
      value: MetricValue,
      status: z.string(),
      run_dir: z.string(),
      report_json: z.string(),
      metrics: z.record(z.string(), MetricValue),
      recorded_at: IsoTime,
    }),
  ),
  excluded: z.array(z.object({ tag: z.string(), reason: z.string() })),
});
export type CandidateQueue = z.infer<typeof CandidateQueue>;

const Argv = z.array(z.string().min(1)).min(1);

/** `<workspace>/workstation.toml` (example: configs/workstation.example.toml). Every table is optional. */
export const WorkstationConfig = z
  .object({
    preflight: z
      .object({
        min_cores: z.number().int().positive().default(8),
        min_mem_gb: z.number().positive().default(60),
        require_clean: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    data_quality: z
      .object({ command: Argv.optional().describe('argv; "{input_csv}" is replaced by --dq-input-csv (appended when absent)') })
      .strict()
      .prefault({}),
    workflows: z
      .record(
        WorkstationWorkflow,
        z
          .object({
            command: Argv.optional().describe('base argv; the arguments after `--` are appended'),
            require_dq: z.boolean().default(false).describe('refuse to run without --dq-input-csv or --skip-dq --skip-reason'),
            report_dir: z.string().min(1).default('.').describe('where the run writes reports, relative to the project'),
            report_name: z.string().min(1).default('*report*.json').describe('file name pattern of a report (find -name)'),
          })
          .strict(),
      )
      .default({}),
    remote: z.object({ project_dir: z.string().min(1).optional() }).strict().prefault({}),
    hosts: z.record(z.string(), z.object({ project_dir: z.string().min(1) }).strict()).default({}),
    governance: z
      .object({ final_summary_path: z.string().min(1).default('final_summary').describe('JSON path in the report') })
      .strict()
      .prefault({}),
    registry: z
      .object({ metrics: z.record(z.string(), z.string().min(1)).default({}).describe('metric name = JSON path in the report') })
      .strict()
      .prefault({}),
    queue: z
      .object({
        metric: z.string().min(1).optional().describe('registry metric to rank by; newest first when absent'),
        order: z.enum(['desc', 'asc']).default('desc'),
        limit: z.number().int().positive().optional(),
        statuses: z.array(z.string()).default(['success']),
        filters: z.array(QueueFilter).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type WorkstationConfig = z.infer<typeof WorkstationConfig>;
