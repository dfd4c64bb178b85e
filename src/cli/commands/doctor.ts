import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { ExitCode, isGantryError } from '../../../contracts/errors.js';
import { GateContract } from '../../../contracts/gate-contract.js';
import { loadWorkflow, workflowNames } from '../../config/definitions.js';
import { SHIPPED_CONFIGS } from '../../config/package-root.js';
import { parseStructuredFile } from '../../config/parse-file.js';
import { parseWorkflowEnv } from '../../flow/config.js';
import { loadRegistry, registryFile } from '../../workitems/registry.js';
import { loadWorkstationConfig, workstationConfigPath } from '../../workstation/config.js';
import type { Command } from '../command.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, bin);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

function attempt(name: string, fn: () => string): Check {
  try {
    return { name, ok: true, detail: fn() };
  } catch (e) {
    return { name, ok: false, detail: isGantryError(e) ? e.message.replace(/\n\s*/g, ' | ') : (e as Error).message };
  }
}

function contractFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.contract.json'))
    .map((f) => join(dir, f));
}

const command: Command = {
  name: 'doctor',
  summary: 'Check the machine and the workspace: node, git, ssh, tmux, and that every config file parses.',
  usage: 'gantry doctor [--json]',
  options: {},
  async run(_args, ctx) {
    const ws = ctx.workspace();
    const major = Number(process.versions.node.split('.')[0]);
    const checks: Check[] = [{ name: 'node', ok: major >= 20, detail: `v${process.versions.node}${major >= 20 ? '' : ' (need >= 20)'}` }];
    for (const [bin, why] of [
      ['git', 'checkouts, scope checks'],
      ['ssh', 'OpenSSH client (ControlMaster comparisons, ProxyJump)'],
      ['tmux', 'tracked tasks and attach'],
    ] as const) {
      const p = onPath(bin);
      checks.push({ name: bin, ok: p !== undefined, detail: p ?? `not found on PATH (needed for ${why}; apt-get install ${bin === 'ssh' ? 'openssh-client' : bin})` });
    }
    const wsOk = existsSync(ws.root) && statSync(ws.root).isDirectory();
    checks.push({ name: 'workspace', ok: wsOk, detail: wsOk ? ws.root : `${ws.root} does not exist (run \`gantry init\`)` });
    if (wsOk && existsSync(ws.envFile))
      checks.push(attempt('workflow.env', () => `${Object.keys(parseWorkflowEnv(readFileSync(ws.envFile, 'utf8'), ws.envFile)).length} keys in ${ws.envFile}`));
    checks.push(attempt('gates.toml', () => `${Object.keys(loadRegistry(registryFile(ws)).registry.gates).length} gates in ${registryFile(ws)}`));
    if (wsOk && existsSync(workstationConfigPath(ws)))
      checks.push(attempt('workstation.toml', () => `${Object.keys(loadWorkstationConfig(ws).workflows ?? {}).length} workflows in ${workstationConfigPath(ws)}`));
    for (const name of workflowNames(ws)) checks.push(attempt(`workflow ${name}`, () => `${loadWorkflow(ws, name).steps.length} steps`));
    for (const dir of [join(SHIPPED_CONFIGS, 'contracts'), ws.contractsDir])
      for (const file of contractFiles(dir))
        checks.push(attempt(`contract ${relative(dir, file)}`, () => `${parseStructuredFile(file, GateContract, 'gate contract').required_outputs.length} required outputs`));

    if (ctx.json) ctx.out(JSON.stringify(checks));
    else for (const c of checks) ctx.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(36)} ${c.detail}`);
    return checks.every((c) => c.ok) ? ExitCode.OK : ExitCode.FAILED;
  },
};
export default command;
