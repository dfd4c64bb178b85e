/** Every schema that `gantry schema <name>` can print, by name. */
import { z } from 'zod';
import { Attempt } from './attempt.js';
import { EngineEvent } from './events.js';
import { GateContract } from './gate-contract.js';
import { RunRecord } from './run.js';
import { WorkflowDef } from './workflow.js';
import { WorkItem } from './work-item.js';
import { GateRegistry } from './gate-registry.js';
import * as Workstation from './workstation.js';
import * as Flow from './flow.js';
import { TaskStatus } from './task.js';

export const SCHEMAS: Record<string, z.ZodType> = {
  workflow: WorkflowDef,
  'gate-contract': GateContract,
  event: EngineEvent,
  run: RunRecord,
  attempt: Attempt,
  'work-item': WorkItem,
  'gate-registry': GateRegistry,
  'workstation-preflight': Workstation.PreflightReport,
  'workstation-context': Workstation.RunContextFile,
  'workstation-result': Workstation.RunResultFile,
  'governance-audit-check': Workstation.GovernanceAuditCheck,
  'governance-remediation-plan': Workstation.RemediationPlan,
  'registry-row': Workstation.RegistryRow,
  'candidate-queue': Workstation.CandidateQueue,
  'workstation-config': Workstation.WorkstationConfig,
  'workflow-env': Flow.WorkflowEnv,
  'phase-evidence': Flow.PhaseEvidence,
  'phase-deterministic': Flow.DeterministicResult,
  'phase-constitutional': Flow.ConstitutionalVerdict,
  'phase-verdict': Flow.PhaseVerdict,
  'flow-start': Flow.FlowStart,
  'flow-summary': Flow.FlowSummary,
  'target-binding': Flow.TargetBinding,
  'fsm-state': Flow.FsmState,
  'sweep-row': Flow.SweepRow,
  'sweep-plan': Flow.SweepPlan,
  'provider-output': Flow.ProviderOutput,
  'task-status': TaskStatus,
};
