import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';

/**
 * A workspace is the folder gantry keeps its files in. Outputs named by contracts resolve against the
 * project root, the folder that holds the workspace (by default the git top level).
 */
export interface Workspace {
  root: string;
  projectRoot: string;
  runsDir: string;
  workflowsDir: string;
  contractsDir: string;
  envFile: string;
}

export function workspaceAt(root: string): Workspace {
  const abs = resolve(root);
  return {
    root: abs,
    projectRoot: dirname(abs),
    runsDir: join(abs, 'runs'),
    workflowsDir: join(abs, 'workflows'),
    contractsDir: join(abs, 'contracts'),
    envFile: join(abs, 'workflow.env'),
  };
}

/** The git top level above `dir` (a `.git` folder or worktree file), or undefined outside git. */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** `--workspace DIR`, else `$GANTRY_WORKSPACE`, else `gantry/` at the git top level (or the cwd outside git). */
export function resolveWorkspace(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): Workspace {
  const chosen = flag ?? env.GANTRY_WORKSPACE;
  if (chosen) return workspaceAt(resolve(cwd, chosen));
  return workspaceAt(join(gitTopLevel(cwd) ?? cwd, 'gantry'));
}

/** Fails with a clear message when the workspace was never initialised. */
export function requireInitialised(ws: Workspace): Workspace {
  if (!existsSync(ws.root) || !statSync(ws.root).isDirectory())
    throw new GantryError(ExitCode.NOT_FOUND, `no gantry workspace at ${ws.root}`, {
      hint: 'run `gantry init` (or pass --workspace DIR / set GANTRY_WORKSPACE)',
    });
  return ws;
}
