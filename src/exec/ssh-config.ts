import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { defaultKnownHosts, GLOBAL_KNOWN_HOSTS } from './known-hosts.js';
import { parseTarget } from './target.js';

/** Where one SSH connection goes, after ~/.ssh/config has been applied. */
export interface SshEndpoint {
  /** The host as the user named it (an alias, or the host itself). */
  alias: string;
  /** The host actually dialled (HostName). */
  host: string;
  port: number;
  user: string;
  /** Private key files to offer, in order (configured IdentityFile, else OpenSSH's defaults). */
  identityFiles: string[];
  /** `IdentitiesOnly yes`: the agent may offer only the keys of `identityFiles`. */
  identitiesOnly: boolean;
  /** The ProxyJump hop this connection is tunnelled through. */
  jump: SshEndpoint | null;
  /** The known_hosts file to check and record into: $GANTRY_KNOWN_HOSTS, else UserKnownHostsFile, else ~/.ssh/known_hosts. */
  knownHosts: string;
  /** System-wide known_hosts files, checked too (never written): GlobalKnownHostsFile, else OpenSSH's. */
  globalKnownHosts: string[];
  /** `StrictHostKeyChecking accept-new` (or `no`) for this host: an unknown key is recorded without asking. */
  acceptNew: boolean;
}

/** The ssh config gantry reads: $GANTRY_SSH_CONFIG, else ~/.ssh/config. */
export const sshConfigPath = (env: NodeJS.ProcessEnv) => env.GANTRY_SSH_CONFIG || join(homedir(), '.ssh', 'config');

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const MAX_JUMPS = 8;
const MAX_INCLUDE_DEPTH = 16;

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `cannot read ssh config: ${(e as Error).message}`, {
      where: path,
      hint: 'fix the file permissions, or point GANTRY_SSH_CONFIG at a readable file',
    });
  }
}

/** Files an `Include` names: relative to ~/.ssh, `*` and `?` allowed in the last path segment. */
function includedFiles(pattern: string): string[] {
  const expanded = expandTilde(pattern);
  const full = isAbsolute(expanded) ? expanded : join(homedir(), '.ssh', expanded);
  const name = basename(full);
  if (!/[*?]/.test(name)) return existsSync(full) ? [full] : [];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const dir = dirname(full);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
}

/** The ssh-config library keeps `Include` as a plain directive; OpenSSH splices the files in place. */
function withIncludes(text: string, depth: number, where: string): string {
  if (depth > MAX_INCLUDE_DEPTH)
    throw new GantryError(ExitCode.INVALID_INPUT, 'ssh config Include nests too deep (a loop?)', { where });
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s*Include\s*=?\s*(.+?)\s*$/i.exec(line);
      if (!m) return line;
      return m[1]
        .split(/\s+/)
        .flatMap((p) => includedFiles(p.replace(/^"(.*)"$/, '$1')))
        .map((f) => withIncludes(readConfigFile(f), depth + 1, f))
        .join('\n');
    })
    .join('\n');
}

function loadConfig(path: string): SSHConfig {
  if (!existsSync(path)) return SSHConfig.parse('');
  return SSHConfig.parse(withIncludes(readConfigFile(path), 0, path));
}

function expandTilde(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

/** OpenSSH's %-tokens that make sense without a connection: %h %p %r %u %d %n %%. */
function expandTokens(value: string, t: { host: string; port: number; user: string; alias: string }): string {
  return value.replace(/%([hprudn%])/g, (_, k: string) =>
    ({ h: t.host, p: String(t.port), r: t.user, u: userInfo().username, d: homedir(), n: t.alias, '%': '%' })[k] ?? '',
  );
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Resolves `[user@]host[:port]` (or an ssh:// URL, or an alias) the way `ssh` would: Host/Match
 * sections of the config give HostName, User, Port, IdentityFile, IdentitiesOnly, ProxyJump,
 * UserKnownHostsFile, GlobalKnownHostsFile and StrictHostKeyChecking; what the target names explicitly
 * wins. `Match exec` is not evaluated: resolving a target never runs a command.
 */
export function resolveSshEndpoint(
  spec: { host: string; user: string | undefined; port: number | undefined },
  env: NodeJS.ProcessEnv,
  jumpOverride?: string[],
  depth = 0,
): SshEndpoint {
  const configPath = sshConfigPath(env);
  const cfg = loadConfig(configPath).compute(
    spec.user === undefined ? { Host: spec.host } : { Host: spec.host, User: spec.user },
    { ignoreCase: true, matchExec: false },
  );
  const proxyCommand = first(cfg.proxycommand);
  if (proxyCommand && proxyCommand !== 'none')
    throw new GantryError(ExitCode.INVALID_INPUT, `ProxyCommand is not supported (host ${spec.host})`, {
      where: configPath,
      hint: 'use ProxyJump instead of ProxyCommand for this host',
    });
  const configPort = first(cfg.port);
  const port = spec.port ?? (configPort === undefined ? 22 : Number(configPort));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new GantryError(ExitCode.INVALID_INPUT, `Port ${configPort} for host ${spec.host} is not a port number`, { where: configPath });
  const user = spec.user ?? first(cfg.user) ?? userInfo().username;
  const tokens = { host: spec.host, port, user, alias: spec.host };
  const host = expandTokens(first(cfg.hostname) ?? spec.host, tokens);
  /** A file named in the config: its %-tokens and `~` expanded. */
  const namedFile = (f: string) => expandTilde(expandTokens(f, { ...tokens, host }));
  const configured = list(cfg.identityfile).map(namedFile);
  const identityFiles =
    configured.length > 0 ? configured : DEFAULT_IDENTITIES.map((f) => join(homedir(), '.ssh', f)).filter((f) => existsSync(f));

  const hops = jumpOverride ?? (first(cfg.proxyjump) ?? 'none').split(',').filter((h) => h !== '' && h !== 'none');
  let jump: SshEndpoint | null = null;
  if (hops.length > 0) {
    if (depth >= MAX_JUMPS)
      throw new GantryError(ExitCode.INVALID_INPUT, `ProxyJump chain for ${spec.host} is longer than ${MAX_JUMPS} hops (a loop?)`, {
        where: configPath,
      });
    const last = hops[hops.length - 1];
    const hop = parseTarget(last);
    if (hop.kind !== 'ssh')
      throw new GantryError(ExitCode.INVALID_INPUT, `ProxyJump "${last}" for ${spec.host} is not a host`, { where: configPath });
    // `ProxyJump a,b`: b is reached through a, as `ssh -J a b` would.
    jump = resolveSshEndpoint(hop, env, hops.length > 1 ? hops.slice(0, -1) : undefined, depth + 1);
  }
  // OpenSSH checks every UserKnownHostsFile and records into the first; gantry uses the first.
  const userKnownHosts = first(cfg.userknownhostsfile)?.split(/\s+/)[0];
  const knownHosts = env.GANTRY_KNOWN_HOSTS || (userKnownHosts ? namedFile(userKnownHosts) : defaultKnownHosts());
  const globalConfigured = first(cfg.globalknownhostsfile)?.split(/\s+/).filter((f) => f !== '' && f !== 'none');
  const globalKnownHosts = globalConfigured?.map(namedFile) ?? GLOBAL_KNOWN_HOSTS;
  // `no` is taken as accept-new: a key that changed is refused whatever the config says.
  const acceptNew = ['accept-new', 'no', 'off'].includes((first(cfg.stricthostkeychecking) ?? '').toLowerCase());
  const identitiesOnly = (first(cfg.identitiesonly) ?? '').toLowerCase() === 'yes';
  return { alias: spec.host, host, port, user, identityFiles, identitiesOnly, jump, knownHosts, globalKnownHosts, acceptNew };
}

export const describeEndpoint = (e: SshEndpoint) => `${e.user}@${e.host}:${e.port}`;
