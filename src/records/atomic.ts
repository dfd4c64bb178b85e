import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { redactDeep } from './redact.js';

let counter = 0;

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Temp file in the same folder, fsync, rename, fsync the folder: a reader never sees half a file.
 * `syncFolder: false` leaves the folder's fsync to the next write into the same folder that does it,
 * which then makes both renames durable (files written together, one folder fsync).
 */
export function writeFileAtomic(path: string, data: string, syncFolder = true): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  if (syncFolder) fsyncDir(dir);
}

/** Every JSON file a record holds goes through here, so every one is redacted and atomic. */
export function writeJsonAtomic(path: string, value: unknown, syncFolder = true): void {
  writeFileAtomic(path, JSON.stringify(redactDeep(value), null, 2) + '\n', syncFolder);
}
