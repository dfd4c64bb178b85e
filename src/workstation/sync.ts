import { renameSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { RunResultFile, type WorkstationConfig } from '../../contracts/workstation.js';
import type { Workspace } from '../config/workspace.js';
import type { Executor } from '../exec/index.js';
import { sha256File } from '../records/hash.js';
import { AUDIT_FILES } from './audit-folder.js';
import { localSite, openSite, requireRunFolder } from './site.js';

export interface Synced {
  localDir: string;
  files: number;
  reports: string[];
  /** What was pulled, for the finalize run's record. */
  notes: string[];
}

function mismatch(what: string, target: string): GantryError {
  return new GantryError(ExitCode.REMOTE, `checksum mismatch after pulling ${what}`, {
    where: target,
    hint: 'the copy differs from the host (a file changed during the pull, or the transfer broke); run sync-finalize again',
  });
}

/**
 * Pulls a finished run's audit folder from a host over sftp into the local workspace (same folder name),
 * and the reports result.json lists into the same paths of the local project; every file's SHA-256 is
 * compared with the host's before the copy replaces anything.
 */
export async function pullRunFolder(ws: Workspace, config: WorkstationConfig, exec: Executor, tag: string): Promise<Synced> {
  const site = await openSite(ws, config, exec);
  const folder = await requireRunFolder(site, tag);
  const result = await folder.readJson(AUDIT_FILES.result, RunResultFile);
  if (!result)
    throw new GantryError(ExitCode.FAILED, `the run ${tag} on ${site.target} has not finished (no result.json yet)`, {
      where: folder.where,
      hint: `follow it and finalize when it ends: gantry monitor --tag ${tag} --host ${site.target} --then-finalize`,
    });
  const local = await localSite(ws, config);
  const remoteSums = await site.fs.checksums(folder.dir);
  const localDir = join(local.runsDir, basename(folder.dir));
  const partial = `${localDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  await exec.download(folder.dir, partial);
  const localSums = await local.fs.checksums(partial);
  const differs = [...remoteSums].find(([f, sum]) => localSums.get(f) !== sum)?.[0] ?? [...localSums.keys()].find((f) => !remoteSums.has(f));
  if (differs !== undefined) {
    rmSync(partial, { recursive: true, force: true });
    throw mismatch(`${folder.where}/${differs}`, site.target);
  }
  rmSync(localDir, { recursive: true, force: true });
  renameSync(partial, localDir);

  const reports: string[] = [];
  for (const rel of result.reports) {
    const to = resolve(ws.projectRoot, rel);
    const inside = relative(ws.projectRoot, to);
    if (isAbsolute(rel) || inside.startsWith('..')) continue; // a report outside the project stays on the host
    const from = posix.resolve(site.projectDir, rel);
    const want = await site.fs.sha256(from);
    if (want === null) continue;
    const tmp = `${to}.partial-${process.pid}`;
    await exec.download(from, tmp);
    if ((await sha256File(tmp)) !== want) {
      rmSync(tmp, { force: true });
      throw mismatch(`${site.target}:${from}`, site.target);
    }
    renameSync(tmp, to);
    reports.push(rel);
  }
  const notes = [
    `pulled ${folder.where} to ${localDir}: ${remoteSums.size} files, SHA-256 identical`,
    ...(reports.length ? [`pulled report(s) ${reports.join(', ')} from ${site.target}:${site.projectDir}, SHA-256 identical`] : []),
  ];
  return { localDir, files: remoteSums.size, reports, notes };
}
