/**
 * The constitutional flow (seed 000): workflow.env, phase evidence and verdicts, flow.start.json,
 * flow.summary.json, the FSM state file on the target, sweep rows and provider output.
 */
import { z } from 'zod';
import { IsoTime, SafeId, StepStatus } from './common.js';

const Flag = z.enum(['0', '1'], { message: 'must be 0 or 1' });
const PositiveInt = z.string().regex(/^[1-9][0-9]*$/, 'must be a positive whole number');
const Optional = z.string().default('');
/** `local`, `ssh://[user@]host[:port]`, `[user@]host[:port]` or an ssh-config alias; empty when unset. */
const TargetText = z
  .string()
  .regex(/^((ssh:\/\/)?([A-Za-z0-9._-]+@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?)?$/, 'must be local, ssh://[user@]host[:port], [user@]host[:port] or an ssh-config alias')
  .refine((t) => !/:([0-9]+)$/.test(t) || Number(/:([0-9]+)$/.exec(t)![1]) <= 65535, 'port must be 1-65535')
  .default('');
/** Text that reaches commands and environment variables on the target: no control characters. */
const PlainText = z.string().regex(/^[^\x00-\x08\x0a-\x1f\x7f]*$/, 'must not contain control characters');

/** The canonical config, as dotenv strings. Unknown keys are allowed (the training code may read them). */
export const WorkflowEnv = z
  .object({
    WF_CONSTITUTION_VERSION: z.string().regex(/^[0-9]+$/, 'must be a whole number').default('1'),
    WF_ALLOW_OVERRIDE: Flag.default('0'),
    WF_REQUIRE_NONINTERACTIVE_SAFE: Flag.default('1'),
    WF_DEFAULT_TEARDOWN: z.enum(['keep', 'delete'], { message: 'must be keep or delete' }).default('keep'),
    WF_PHASE_COURT_ENFORCE: Flag.default('1'),
    WF_SUBAGENT_VALIDATOR_CMD: Optional,
    WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS: PositiveInt.default('60'),
    WF_CHECKLIST_PATH: Optional,
    WF_CHECKLIST_RESET_ON_END: Flag.default('0'),
    LIUM_TARGET: TargetText,
    OPS_DEFAULT_HOST: TargetText,
    LIUM_YES: z.enum(['', '0', '1'], { message: 'must be 0 or 1' }).default(''),
    SSH_ACCEPT_NEW_HOST_KEY: Flag.default('0'),
    PROVIDER: z.enum(['command', 'lium'], { message: 'must be command or lium' }).default('command'),
    PROVISION_CMD: Optional,
    STATUS_CMD: Optional,
    TEARDOWN_CMD: Optional,
    PROVISION_TIMEOUT_SECS: PositiveInt.default('900'),
    LIUM_UP_ARGS: Optional,
    REPO_URL: Optional,
    CHECKOUT_BRANCH: Optional,
    CHECKOUT_PR: z.string().regex(/^([1-9][0-9]*)?$/, 'must be a pull request number').default(''),
    CHECKOUT_FORCE_CLEAN: Flag.default('0'),
    CHECKOUT_VERIFY_CMD: Optional,
    BOOTSTRAP_SCRIPT: Optional,
    BOOTSTRAP_PREREQS: z.string().default('git sh setsid'),
    BOOTSTRAP_AUTO_INSTALL: Flag.default('0'),
    OPS_REMOTE_REPO: z.string().min(1, 'must name a folder on the target'),
    OPS_REMOTE_OUTPUTS_DIR: z.string().min(1, 'must name a folder on the target'),
    DATA_DIR: Optional,
    LOCAL_ARTIFACTS_DIR: z.string().min(1).default('artifacts'),
    SWEEP_CSV: Optional,
    SWEEP_CMD_TEMPLATE: Optional,
    SWEEP_PARALLEL: PositiveInt.default('1'),
    SWEEP_GPU_SLOTS: z.string().regex(/^([0-9]+(,[0-9]+)*)?$/, 'must be GPU ids joined by ","').default(''),
    RUN_TIMEOUT_SECS: PositiveInt.default('86400'),
    MONITOR_POLL_SECS: z.string().regex(/^[0-9]+(\.[0-9]+)?$/, 'must be a number of seconds').default('10'),
  })
  .catchall(z.string())
  .superRefine((env, ctx) => {
    if (env.CHECKOUT_BRANCH && env.CHECKOUT_PR)
      ctx.addIssue({ code: 'custom', path: ['CHECKOUT_PR'], message: 'set CHECKOUT_BRANCH or CHECKOUT_PR, not both' });
    if (env.SWEEP_GPU_SLOTS && env.SWEEP_GPU_SLOTS.split(',').length < Number(env.SWEEP_PARALLEL))
      ctx.addIssue({ code: 'custom', path: ['SWEEP_GPU_SLOTS'], message: 'needs at least SWEEP_PARALLEL GPU ids' });
  });
export type WorkflowEnv = z.infer<typeof WorkflowEnv>;

export const CourtStatus = z.enum(['pass', 'fail']);
export const ConstStatus = z.enum(['pass', 'fail', 'unverified']);
export const TargetSource = z.enum(['explicit', 'autobind', 'pending']);
export const Transport = z.enum(['local', 'ssh', 'none']);

/** phase.<P>.evidence.json: the fields the reference auditor requires, then gantry's own. */
export const PhaseEvidence = z
  .object({
    flow_id: z.string(),
    phase_id: z.string(),
    active_config_path: z.string(),
    active_config_sha256: z.string(),
    command_name: z.string(),
    command_rc: z.number().int(),
    phase_status: StepStatus,
    transport_hint: Transport,
    intent_mode: z.string(),
    contract_intent: z.string(),
    applicable_laws: z.array(z.string()),
    flow_start_artifact: z.string(),
    lium_target: z.string(),
    ops_default_host: z.string(),
    repo_url: z.string().optional(),
    teardown_mode: z.string().optional(),
    phase_name: z.string(),
    phase_code: z.number().int(),
    target: z.string().nullable(),
    artifact: z.string().nullable(),
    message: z.string().nullable(),
    started_at: IsoTime,
    finished_at: IsoTime,
    details: z.record(z.string(), z.unknown()),
  })
  .loose();
export type PhaseEvidence = z.infer<typeof PhaseEvidence>;

export const DeterministicResult = z.object({
  phase: z.string(),
  status: CourtStatus,
  checks: z.array(z.object({ check: z.string(), pass: z.boolean(), detail: z.string() })),
  checked_at: IsoTime,
});
export type DeterministicResult = z.infer<typeof DeterministicResult>;

/** The auditor's verdict (built in or `WF_SUBAGENT_VALIDATOR_CMD`), as the reference auditor writes it. */
export const ConstitutionalVerdict = z
  .object({
    phase: z.string(),
    status: ConstStatus,
    pass: z.boolean(),
    violations: z.array(z.string()),
    violated_laws: z.array(z.string()),
    checked_at: z.string(),
    engine: z.string(),
    remediation: z.union([z.string(), z.array(z.string())]).nullable().optional(),
  })
  .loose();
export type ConstitutionalVerdict = z.infer<typeof ConstitutionalVerdict>;

/** phase.<P>.verdict.json: deterministic AND constitutional. */
export const PhaseVerdict = z.object({
  phase: z.string(),
  verdict: ConstStatus,
  court: CourtStatus,
  det: CourtStatus,
  const: ConstStatus,
  enforced: z.boolean(),
  violated_laws: z.array(z.string()),
  violations: z.array(z.string()),
  evidence: z.string(),
  deterministic: z.string(),
  constitutional: z.string(),
  next_command: z.string().nullable(),
  decided_at: IsoTime,
});
export type PhaseVerdict = z.infer<typeof PhaseVerdict>;

export const FlowOptions = z.object({
  provision: z.enum(['auto', 'skip']),
  sweep: z.enum(['start', 'resume', 'skip']),
  wait: z.enum(['true', 'false']),
  fetch: z.string().regex(/^(none|all|run:.+)$/, 'none, all or run:<id>'),
  teardown: z.enum(['keep', 'delete']),
});
export type FlowOptions = z.infer<typeof FlowOptions>;

export const FlowStart = z.object({
  flow_id: z.string(),
  started_at: IsoTime,
  constitution_version: z.string(),
  active_config_path: z.string(),
  active_config_sha256: z.string(),
  canonical_config_path: z.string(),
  override: z.boolean(),
  lium_target: z.string(),
  ops_default_host: z.string(),
  target: z.string().nullable(),
  target_source: TargetSource,
  transport: Transport,
  remote_env_path: z.string(),
  fsm_state_file: z.string(),
  options: FlowOptions,
  interactive: z.boolean(),
  consent: z.boolean(),
  gantry_version: z.string(),
});
export type FlowStart = z.infer<typeof FlowStart>;

/** record/target.bind.json, written once by P20: the target is immutable for the rest of the flow. */
export const TargetBinding = z.object({
  target: z.string(),
  source: z.enum(['explicit', 'autobind']),
  transport: z.enum(['local', 'ssh']),
  pod_id: z.string().nullable(),
  host_key_fingerprint: z.string().nullable(),
  bound_at: IsoTime,
});
export type TargetBinding = z.infer<typeof TargetBinding>;

export const FlowSummary = z.object({
  flow_id: z.string(),
  status: z.enum(['passed', 'failed', 'canceled']),
  first_failing_phase: z.string().nullable(),
  first_failing_code: z.number().int().nullable(),
  reason: z.string().nullable(),
  target: z.string().nullable(),
  attempts: z.number().int().positive(),
  phases: z.array(
    z.object({ phase: z.string(), name: z.string(), status: z.string(), code: z.number().int().nullable(), verdict: z.string().nullable() }),
  ),
  sweep: z
    .object({ rows: z.number().int(), done: z.number().int(), failed: z.array(z.string()), running: z.number().int() })
    .nullable(),
  errors: z.object({ correctable: z.number(), uncorrected: z.number(), fatal: z.number(), policy: z.number() }),
  finished_at: IsoTime,
});
export type FlowSummary = z.infer<typeof FlowSummary>;

export const FsmStateName = z.enum(['INIT', 'POD_READY', 'BOOTSTRAPPED', 'CHECKED_OUT', 'SWEEP_RUNNING', 'SWEEP_COMPLETED']);
export type FsmStateName = z.infer<typeof FsmStateName>;

/** ${OPS_REMOTE_OUTPUTS_DIR}/_control/workflow_state.json on the target. */
export const FsmState = z.object({
  state: FsmStateName,
  previous: FsmStateName.nullable(),
  flow_id: z.string().nullable(),
  reason: z.string(),
  updated_at: IsoTime,
});
export type FsmState = z.infer<typeof FsmState>;

/** One row of the sweep manifest CSV `run_id,config,seed,overrides,notes`. */
export const SweepRow = z.object({
  run_id: SafeId.max(96, 'at most 96 characters'),
  config: PlainText,
  seed: z.string().regex(/^-?[0-9]*$/, 'must be a whole number (or empty)'),
  overrides: PlainText,
  notes: PlainText,
});
export type SweepRow = z.infer<typeof SweepRow>;

/** ${OPS_REMOTE_OUTPUTS_DIR}/_control/sweep.json: the sweep plan, written before any row is launched. */
export const SweepPlan = z.object({
  flow_id: z.string(),
  mode: z.enum(['start', 'resume']),
  planned_at: IsoTime,
  parallel: z.number().int().positive(),
  rows: z.array(
    z.object({
      run_id: SafeId,
      task_id: SafeId.nullable().describe('null when the row was already done and is skipped'),
      slot: z.number().int().nonnegative(),
      after: SafeId.nullable().describe('the task this row waits for (the previous row of its slot)'),
    }),
  ),
});
export type SweepPlan = z.infer<typeof SweepPlan>;

/** What a provider's provision command prints on stdout (the last JSON object line). */
export const ProviderOutput = z
  .object({
    target: z.string().min(1),
    pod_id: z.string().min(1),
  })
  .loose();
export type ProviderOutput = z.infer<typeof ProviderOutput>;
