import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { TargetBinding, type WorkflowEnv } from '../../contracts/flow.js';
import { parseStructuredFile } from '../config/parse-file.js';
import type { Workspace } from '../config/workspace.js';
import { runPaths } from '../records/run-paths.js';
import { listRunIds, readRun } from '../records/run-store.js';
import { chooseConfig, parseWorkflowEnv } from './config.js';
import { explicitTarget } from './phases/precheck.js';
import { FLOW_WORKFLOW } from './run-flow.js';

/** The checked config of the workspace (for the support commands: fsm, sweep status, checklist). */
export function loadFlowConfig(ws: Workspace, env: NodeJS.ProcessEnv, cwd: string): { env: WorkflowEnv; path: string } {
  const choice = chooseConfig(ws, env, cwd);
  if (choice.refused) throw new GantryError(ExitCode.POLICY, choice.refused, { hint: 'unset WORKFLOW_CONFIG, or set WF_ALLOW_OVERRIDE=1 in the canonical config' });
  if (!existsSync(choice.path)) throw new GantryError(ExitCode.NOT_FOUND, `no config at ${choice.path}`, { hint: 'run `gantry init` and fill in workflow.env' });
  return { env: parseWorkflowEnv(readFileSync(choice.path, 'utf8'), choice.path), path: choice.path };
}

/** The target of the support commands: --target, else the explicit target of the config, else the latest flow's binding. */
export function flowTarget(ws: Workspace, env: WorkflowEnv, flag: string | undefined): string {
  if (flag) return flag;
  if (explicitTarget(env)) return explicitTarget(env);
  for (const id of listRunIds(ws.runsDir).reverse()) {
    const file = join(runPaths(ws.runsDir, id).record, 'target.bind.json');
    if (readRun(ws.runsDir, id).workflow.name === FLOW_WORKFLOW && existsSync(file))
      return parseStructuredFile(file, TargetBinding, 'target binding').target;
  }
  throw new GantryError(ExitCode.NOT_FOUND, 'no target: the config names none and no flow has bound one', {
    hint: 'pass --target <t>, or set LIUM_TARGET / OPS_DEFAULT_HOST in workflow.env',
  });
}
