/** Every schema that `gantry schema <name>` can print, by name. */
import { z } from 'zod';
import { Attempt } from './attempt.js';
import { EngineEvent } from './events.js';
import { GateContract } from './gate-contract.js';
import { RunRecord } from './run.js';
import { WorkflowDef } from './workflow.js';
import { WorkItem } from './work-item.js';
import { GateRegistry } from './gate-registry.js';

export const SCHEMAS: Record<string, z.ZodType> = {
  workflow: WorkflowDef,
  'gate-contract': GateContract,
  event: EngineEvent,
  run: RunRecord,
  attempt: Attempt,
  'work-item': WorkItem,
  'gate-registry': GateRegistry,
};
