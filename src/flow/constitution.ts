/**
 * The reference auditor's constants (seeds/README.md), verbatim: an existing external auditor compares
 * gantry's evidence against exactly these strings.
 */
export const LAWS = {
  1: 'LAW_1_CANONICAL_CONFIG',
  2: 'LAW_2_SINGLE_CANONICAL_LIFECYCLE',
  3: 'LAW_3_TARGET_RESOLUTION',
  4: 'LAW_4_NONINTERACTIVE_SAFETY',
  5: 'LAW_5_PHASE_CONTRACT',
  6: 'LAW_6_PROVENANCE',
  7: 'LAW_7_EXPLICIT_DESTRUCTION',
  8: 'LAW_8_DOC_SCRIPT_CONSISTENCY',
  9: 'LAW_9_PHASE_END_CONSTITUTIONAL_VALIDATION',
} as const;

export const INTENT_MODE = 'mandated_contract_or_die';

export interface PhaseContract {
  intent: string;
  commands: readonly string[];
  laws: readonly string[];
}

const L = LAWS;
const COMMON = [L[5], L[6], L[9]] as const;

export const PHASE_CONTRACTS: Readonly<Record<string, PhaseContract>> = {
  P00: { intent: 'Precheck constitutional prerequisites before any remote mutation.', commands: ['flow-precheck'], laws: [L[1], L[2], L[4], L[6], L[9]] },
  P10: { intent: 'Provision pod deterministically or explicitly mark policy skip.', commands: ['pod-up', 'provision-policy'], laws: [L[3], L[4], L[5], L[6], L[9]] },
  P20: { intent: 'Resolve and lock a legal execution target for remaining phases.', commands: ['target-bind'], laws: [L[3], L[5], L[6], L[9]] },
  P30: { intent: 'Prove remote target is reachable and pod is ready.', commands: ['pod-status'], laws: COMMON },
  P40: { intent: 'Satisfy bootstrap prerequisites and helper initialization policy.', commands: ['bootstrap'], laws: COMMON },
  P50: { intent: 'Checkout repository and validate torch/data contracts for training readiness.', commands: ['checkout'], laws: [L[5], L[6], L[8], L[9]] },
  P60: { intent: 'Start, resume-check, or policy-skip sweep in a declared mode.', commands: ['sweep-start', 'sweep-status', 'sweep-policy'], laws: COMMON },
  P70: { intent: 'Monitor sweep completion state via wait or snapshot path.', commands: ['sweep-wait', 'sweep-status'], laws: COMMON },
  P80: { intent: 'Fetch artifacts according to explicit fetch policy.', commands: ['fetch-policy', 'fetch-all', 'fetch-run'], laws: COMMON },
  P90: { intent: 'Apply explicit teardown policy without implicit destruction.', commands: ['teardown-policy', 'pod-delete'], laws: [L[7], L[5], L[6], L[9]] },
  P99: { intent: 'Emit final constitutional summary only after all prior phases are known.', commands: ['flow-summary'], laws: COMMON },
};

/** Evidence fields the reference auditor requires of every phase. */
export const REQUIRED_EVIDENCE_FIELDS = [
  'flow_id',
  'phase_id',
  'active_config_path',
  'active_config_sha256',
  'command_name',
  'command_rc',
  'phase_status',
  'transport_hint',
  'intent_mode',
  'contract_intent',
  'applicable_laws',
  'flow_start_artifact',
] as const;

/**
 * Failure codes (README "Failure codes"): the family says what kind of thing failed — 1xx config/policy,
 * 2xx provisioning/target, 3xx bootstrap/checkout, 4xx sweep/monitor, 5xx fetch/teardown.
 */
export const CODES = {
  CONFIG_INVALID: 101,
  OVERRIDE_REFUSED: 102,
  CONFIG_DRIFT: 103,
  CONSENT_MISSING: 104,
  COURT_UNVERIFIED: 105,
  COURT_FAILED: 106,
  SWEEP_MANIFEST_INVALID: 107,
  INTERRUPTED: 108,
  PROVISION_FAILED: 201,
  NO_TARGET: 202,
  TARGET_DRIFT: 203,
  TARGET_UNREACHABLE: 204,
  FSM_ILLEGAL: 205,
  BOOTSTRAP_FAILED: 301,
  CHECKOUT_FAILED: 302,
  CHECKOUT_VERIFY_FAILED: 303,
  SWEEP_LAUNCH_FAILED: 401,
  SWEEP_BUSY: 402,
  SWEEP_ROWS_FAILED: 403,
  MONITOR_FAILED: 404,
  FETCH_FAILED: 501,
  TEARDOWN_FAILED: 502,
} as const;
