import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';

/** The user's known_hosts file when neither $GANTRY_KNOWN_HOSTS nor the ssh config names another. */
export const defaultKnownHosts = () => join(homedir(), '.ssh', 'known_hosts');

/** OpenSSH's system-wide known_hosts files, checked after the user's. */
export const GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** Where a known_hosts line is: its file, and its line there (1-based). */
export interface KnownHostsLine {
  file: string;
  line: number;
}

/** The verdict on a host key, with the known_hosts line that decided it. */
export type HostKeyVerdict =
  | ({ kind: 'trusted' } & KnownHostsLine)
  | { kind: 'unknown'; otherTypes: string[] }
  | ({ kind: 'changed' } & KnownHostsLine)
  | ({ kind: 'revoked' } & KnownHostsLine);

interface Entry extends KnownHostsLine {
  marker: '' | '@revoked' | '@cert-authority';
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` elsewhere (OpenSSH's convention). */
export const hostKeyName = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`);

/** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints. */
export const fingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

/** The algorithm name at the start of an SSH public key blob (e.g. ssh-ed25519). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}

function readEntries(path: string): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    // Fail closed: a file we cannot read might hold the very line that would refuse this key.
    throw new GantryError(ExitCode.REMOTE, `cannot read known_hosts: ${(e as Error).message}`, {
      where: path,
      hint: 'make the file readable (or set GANTRY_KNOWN_HOSTS to a readable file); gantry will not connect without checking host keys',
    });
  }
  const entries: Entry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? fields.shift()! : '';
    if (fields.length < 3) return;
    entries.push({ file: path, line: i + 1, marker: marker as Entry['marker'], hosts: fields[0], keyType: fields[1], key: Buffer.from(fields[2], 'base64') });
  });
  return entries;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** A hosts field: `|1|salt|hash` (HashKnownHosts), or a comma list of patterns where `!pattern` vetoes. */
function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const want = Buffer.from(hash, 'base64');
    const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name.toLowerCase()).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  let matched = false;
  for (const p of hosts.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

/**
 * Checks `key` for host `name` (see hostKeyName) against known_hosts files the way OpenSSH does: revoked in any file refuses it, a
 * matching line in any file trusts it, else a line of the same key type in any file means it changed.
 */
export function checkHostKey(files: readonly string[], name: string, key: Buffer): HostKeyVerdict {
  const entries = files.flatMap(readEntries).filter((e) => e.marker !== '@cert-authority' && hostsMatch(e.hosts, name));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', file: revoked.file, line: revoked.line };
  const plain = entries.filter((e) => e.marker === '');
  const same = plain.find((e) => e.key.equals(key));
  if (same) return { kind: 'trusted', file: same.file, line: same.line };
  const type = keyTypeOf(key);
  const changed = plain.find((e) => e.keyType === type);
  if (changed) return { kind: 'changed', file: changed.file, line: changed.line };
  return { kind: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types already known for `name`, so the handshake can ask for one of those first (as OpenSSH does). */
export function knownKeyTypes(files: readonly string[], name: string): string[] {
  return [...new Set(files.flatMap(readEntries).filter((e) => e.marker === '' && hostsMatch(e.hosts, name)).map((e) => e.keyType))];
}

/** Appends `name keytype base64` as OpenSSH's accept-new does (the file and its folder created private). */
export function recordHostKey(path: string, name: string, key: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const existing = readFileSync(path);
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n';
  } catch {
    // A missing file is created by the append below.
  }
  appendFileSync(path, `${prefix}${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}
