import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GANTRY_BIN, gantry, tmp } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';

let s: Sshd;
let cwd: string;
let fingerprint: string;
beforeAll(async () => {
  s = await startSshd();
  cwd = tmp();
  fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(s.dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1];
});
afterAll(async () => s?.stop());

/** A known_hosts file of the given lines, used by gantry through GANTRY_KNOWN_HOSTS. */
function knownHosts(name: string, lines: string[]): string {
  const path = join(cwd, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

const check = (knownHostsPath: string, extra: string[] = []) =>
  gantry(['target', 'check', s.alias, ...extra], { cwd, env: { ...s.env, GANTRY_KNOWN_HOSTS: knownHostsPath } });

function otherKey(): string {
  const dir = tmp();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
  return readFileSync(join(dir, 'k.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
}

describe('host key checking against known_hosts', () => {
  it('refuses an unknown host key without a terminal, showing its SHA256 fingerprint', async () => {
    const path = knownHosts('unknown', []);
    const r = await check(path);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`unknown host key for [127.0.0.1]:${s.port}`);
    expect(r.stderr).toContain(fingerprint);
    expect(r.stderr).toContain('--accept-new-host-key');
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('records an unknown key with --accept-new-host-key in a form OpenSSH itself accepts', async () => {
    const path = knownHosts('accept-new', ['# my hosts']);
    expect((await check(path, ['--accept-new-host-key'])).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(`# my hosts\n[127.0.0.1]:${s.port} ${s.hostPublicKey}\n`);
    expect((await check(path)).code).toBe(0);
    const ssh = spawnSync('ssh', ['-F', 'none', '-o', `UserKnownHostsFile=${path}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-i', s.keyPath, '-p', String(s.port), `${s.user}@127.0.0.1`, 'true']);
    expect(ssh.status).toBe(0);
  });

  it('asks in a terminal, and records the key when the answer is yes', async () => {
    const path = knownHosts('asked', []);
    // `script` gives gantry a real pseudo-terminal on stdin and stdout.
    const r = spawnSync('script', ['-q', '-e', '-c', `${process.execPath} ${GANTRY_BIN} target check ${s.alias}`, '/dev/null'], {
      env: { ...process.env, ...s.env, GANTRY_KNOWN_HOSTS: path },
      input: 'yes\n',
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout).toContain(`The authenticity of host '[127.0.0.1]:${s.port}' can't be established.`);
    expect(r.stdout).toContain(`ssh-ed25519 key fingerprint is ${fingerprint}.`);
    expect(r.status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(`[127.0.0.1]:${s.port} ${s.hostPublicKey}\n`);
  });

  it('refuses a changed key loudly, naming the known_hosts line, even with --accept-new-host-key', async () => {
    const path = knownHosts('changed', ['# first', `example.org ${otherKey()}`, `[127.0.0.1]:${s.port} ${otherKey()}`]);
    const r = await check(path, ['--accept-new-host-key']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`HOST KEY CHANGED for [127.0.0.1]:${s.port}`);
    expect(r.stderr).toContain(fingerprint);
    expect(r.stderr).toContain(`where: ${path}:3`);
    expect(r.stderr).toContain('ssh-keygen -R');
  });

  it('refuses a key marked @revoked, even when another line trusts it', async () => {
    const path = knownHosts('revoked', [`[127.0.0.1]:${s.port} ${s.hostPublicKey}`, `@revoked * ${s.hostPublicKey}`]);
    const r = await check(path);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('@revoked');
    expect(r.stderr).toContain(`where: ${path}:2`);
  });

  it('matches hashed (|1|) entries written by ssh-keygen -H', async () => {
    const path = knownHosts('hashed', [`[127.0.0.1]:${s.port} ${s.hostPublicKey}`]);
    execFileSync('ssh-keygen', ['-H', '-f', path], { stdio: 'ignore' });
    expect(readFileSync(path, 'utf8')).toMatch(/^\|1\|/);
    const r = await check(path);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('matches wildcard patterns and honours a negated pattern', async () => {
    const trusted = await check(knownHosts('wild', [`[127.0.0.*]:${s.port} ${s.hostPublicKey}`]));
    expect(trusted.code).toBe(0);
    const vetoed = await check(knownHosts('negated', [`[127.0.0.*]:${s.port},![127.0.0.1]:${s.port} ${s.hostPublicKey}`]));
    expect(vetoed.code).toBe(4);
  });

  it("follows the ssh config: the host's UserKnownHostsFile, and StrictHostKeyChecking accept-new records a new key there", async () => {
    const trusted = knownHosts('config-trusted', [`[127.0.0.1]:${s.port} ${s.hostPublicKey}`]);
    const fresh = knownHosts('config-fresh', []);
    const config = (file: string, strict: string) => {
      const path = join(cwd, `ssh_config-${strict}`);
      writeFileSync(path, `Host cfg\n  HostName 127.0.0.1\n  Port ${s.port}\n  User ${s.user}\n  IdentityFile ${s.keyPath}\n  UserKnownHostsFile ${file}\n  StrictHostKeyChecking ${strict}\n`);
      return path;
    };
    // No GANTRY_KNOWN_HOSTS: the config decides.
    const env = (path: string) => ({ GANTRY_SSH_CONFIG: path, SSH_AUTH_SOCK: '' });
    expect((await gantry(['target', 'check', 'cfg'], { cwd, env: env(config(trusted, 'yes')) })).code).toBe(0);

    const refused = await gantry(['target', 'check', 'cfg'], { cwd, env: env(config(fresh, 'yes')) });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(fresh);

    expect((await gantry(['target', 'check', 'cfg'], { cwd, env: env(config(fresh, 'accept-new')) })).code).toBe(0);
    expect(readFileSync(fresh, 'utf8')).toBe(`[127.0.0.1]:${s.port} ${s.hostPublicKey}\n`);

    // accept-new never accepts a key that changed.
    const changed = knownHosts('config-changed', [`[127.0.0.1]:${s.port} ${otherKey()}`]);
    const r = await gantry(['target', 'check', 'cfg'], { cwd, env: env(config(changed, 'accept-new')) });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('HOST KEY CHANGED');
  });

  it('trusts a key from GlobalKnownHostsFile (checked after the user file, never written), and refuses one that changed there', async () => {
    const empty = knownHosts('user-empty', []);
    const global = knownHosts('global', [`[127.0.0.1]:${s.port} ${s.hostPublicKey}`]);
    const config = join(cwd, 'ssh_config-global');
    writeFileSync(config, `Host glob\n  HostName 127.0.0.1\n  Port ${s.port}\n  User ${s.user}\n  IdentityFile ${s.keyPath}\n  GlobalKnownHostsFile ${global}\n`);
    const env = { GANTRY_SSH_CONFIG: config, GANTRY_KNOWN_HOSTS: empty, SSH_AUTH_SOCK: '' };
    expect((await gantry(['target', 'check', 'glob'], { cwd, env })).code).toBe(0);
    expect(readFileSync(empty, 'utf8')).toBe('');

    writeFileSync(global, `[127.0.0.1]:${s.port} ${otherKey()}\n`);
    const r = await gantry(['target', 'check', 'glob', '--accept-new-host-key'], { cwd, env });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('HOST KEY CHANGED');
    expect(r.stderr).toContain(`${global}:1`);
  });

  it('fails closed when known_hosts cannot be read', async () => {
    const path = join(cwd, 'a-folder-not-a-file');
    mkdirSync(path);
    const r = await check(path, ['--accept-new-host-key']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('cannot read known_hosts');
    expect(r.stderr).toContain(path);
  });
});
