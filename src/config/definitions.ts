import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { GateContract } from '../../contracts/gate-contract.js';
import { WorkflowDef } from '../../contracts/workflow.js';
import { SHIPPED_CONFIGS } from './package-root.js';
import { parseStructuredFile } from './parse-file.js';
import type { Workspace } from './workspace.js';

/** A file in the workspace overrides the shipped one of the same name. */
function pick(wsDir: string, shippedDir: string, rel: string): string | undefined {
  const own = join(wsDir, rel);
  if (existsSync(own)) return own;
  const shipped = join(shippedDir, rel);
  return existsSync(shipped) ? shipped : undefined;
}

export function workflowNames(ws: Workspace): string[] {
  const names = new Set<string>();
  for (const dir of [ws.workflowsDir, join(SHIPPED_CONFIGS, 'workflows')])
    if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) names.add(f.slice(0, -5));
  return [...names].sort();
}

export function workflowFile(ws: Workspace, name: string): string {
  const file = /^[a-z][a-z0-9-]*$/.test(name) ? pick(ws.workflowsDir, join(SHIPPED_CONFIGS, 'workflows'), `${name}.yaml`) : undefined;
  if (!file)
    throw new GantryError(ExitCode.NOT_FOUND, `unknown workflow "${name}"`, {
      hint: `known workflows: ${workflowNames(ws).join(', ')}; or add ${join(ws.workflowsDir, `${name}.yaml`)}`,
    });
  return file;
}

export function loadWorkflow(ws: Workspace, name: string): WorkflowDef {
  const file = workflowFile(ws, name);
  const def = parseStructuredFile(file, WorkflowDef, `workflow "${name}"`);
  if (def.name !== name)
    throw new GantryError(ExitCode.INVALID_INPUT, `workflow file declares name "${def.name}", expected "${name}"`, { where: file });
  return def;
}

export function contractFile(ws: Workspace, rel: string): string {
  const file = !rel.includes('..') ? pick(ws.contractsDir, join(SHIPPED_CONFIGS, 'contracts'), rel) : undefined;
  if (!file)
    throw new GantryError(ExitCode.NOT_FOUND, `gate contract "${rel}" not found`, {
      hint: `add it as ${join(ws.contractsDir, rel)} (shipped contracts live in ${join(SHIPPED_CONFIGS, 'contracts')})`,
    });
  return file;
}

export function loadGateContract(ws: Workspace, rel: string): { contract: GateContract; file: string } {
  const file = contractFile(ws, rel);
  return { contract: parseStructuredFile(file, GateContract, `gate contract ${rel}`), file };
}

/** Loads every contract a workflow names, so a bad one is refused before any run is created. */
export function loadWorkflowContracts(ws: Workspace, def: WorkflowDef): Map<string, GateContract> {
  const out = new Map<string, GateContract>();
  for (const step of def.steps) if (step.contract) out.set(step.id, loadGateContract(ws, step.contract).contract);
  return out;
}
