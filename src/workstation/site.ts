import { existsSync, statSync } from 'node:fs';
import { posix, relative } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { RunContextFile, type WorkstationConfig } from '../../contracts/workstation.js';
import type { Workspace } from '../config/workspace.js';
import { ExecutorPool, type Executor } from '../exec/index.js';
import { AuditFolder, AUDIT_FILES, candidateFolders, runsDirOf } from './audit-folder.js';
import { remoteProjectDir } from './config.js';
import { TargetFs } from './target-fs.js';

/** Where official runs happen: this machine, or a workstation reached over ssh. Paths are the target's. */
export interface Site {
  target: string;
  fs: TargetFs;
  projectDir: string;
  workspaceDir: string;
  /** The workspace folder inside the project (e.g. `gantry`): left out of the dirty-tree check. */
  workspaceRel: string;
  runsDir: string;
}

/** `local` is the workspace's own project; a host uses its configured project folder, same workspace layout. */
export async function openSite(ws: Workspace, config: WorkstationConfig, exec: Executor): Promise<Site> {
  const target = exec.target;
  const fs = new TargetFs(exec);
  const workspaceRel = relative(ws.projectRoot, ws.root);
  const projectDir = target === 'local' ? ws.projectRoot : await fs.absolute(remoteProjectDir(config, target, ws));
  const workspaceDir = target === 'local' ? ws.root : posix.join(projectDir, workspaceRel);
  return { target, fs, projectDir, workspaceDir, workspaceRel, runsDir: runsDirOf(workspaceDir) };
}

/** The audit folder of `tag` on a site, if there is one. */
/** This machine's site: the workspace's own audit folders. */
export const localSite = (ws: Workspace, config: WorkstationConfig) => openSite(ws, config, new ExecutorPool().get('local'));

/** Any audit folder on this machine, for the standalone commands (`audit check --run-dir`, ...). */
export function localFolder(dir: string): AuditFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new GantryError(ExitCode.NOT_FOUND, `no audit folder at ${dir}`, { hint: 'pass --run-dir <workspace>/audit/workstation_runs/<ts>_<workflow>_<tag>' });
  return new AuditFolder(new TargetFs(new ExecutorPool().get('local')), dir);
}

export async function findRunFolder(site: Site, tag: string): Promise<AuditFolder | undefined> {
  const names = candidateFolders(await site.fs.list(site.runsDir), tag);
  const folders = names.map((n) => new AuditFolder(site.fs, posix.join(site.runsDir, n)));
  for (const f of folders) {
    const context = await f.readJson(AUDIT_FILES.context, RunContextFile).catch(() => null);
    if (context?.tag === tag) return f;
  }
  // A folder whose context.json is missing or broken still belongs to the tag when it is the only candidate.
  return folders.length === 1 ? folders[0] : undefined;
}

export async function requireRunFolder(site: Site, tag: string): Promise<AuditFolder> {
  const folder = await findRunFolder(site, tag);
  if (!folder)
    throw new GantryError(ExitCode.NOT_FOUND, `no audit folder for tag "${tag}" on ${site.target}`, {
      where: site.target === 'local' ? site.runsDir : `${site.target}:${site.runsDir}`,
      hint: 'check the tag (folders are named <ts>_<workflow>_<tag>)' + (site.target === 'local' ? '; a run on a host is finalized with `gantry sync-finalize --tag <tag> --host <host>`' : ''),
    });
  return folder;
}
