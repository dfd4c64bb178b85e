import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, tmp } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';

let s: Sshd;
let cwd: string;
beforeAll(async () => {
  s = await startSshd();
  cwd = tmp();
});
afterAll(async () => s?.stop());

const fingerprintOf = (pubFile: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' }).split(' ')[1];

describe('gantry target check', () => {
  it('resolves a ssh config alias and prints host, user, port, host key fingerprint and uname -a', async () => {
    const r = await gantry(['target', 'check', s.alias], { cwd, env: s.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('host:     127.0.0.1');
    expect(r.stdout).toContain(`user:     ${s.user}`);
    expect(r.stdout).toContain(`port:     ${s.port}`);
    expect(r.stdout).toContain(`host key: ${fingerprintOf(join(s.dir, 'host_ed25519.pub'))}`);
    expect(r.stdout).toMatch(/uname:\s+Linux /);
  });

  it('reaches an alias through its ProxyJump hop and says so', async () => {
    const r = await gantry(['target', 'check', s.jumpAlias, '--json'], { cwd, env: s.env });
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ kind: 'ssh', host: '127.0.0.1', port: s.port, user: s.user, via: `${s.user}@127.0.0.1:${s.port}` });
    expect(info.uname).toMatch(/^Linux /);
  });

  it('chains a ProxyJump list hop by hop (a,b: b is reached through a)', async () => {
    const config = join(s.dir, 'ssh_config_two_hops');
    writeFileSync(
      config,
      `Host twohops\n  HostName 127.0.0.1\n  Port ${s.port}\n  IdentityFile ${s.keyPath}\n  ProxyJump ${s.alias},${s.jumpAlias}\nInclude ${s.sshConfigPath}\n`,
    );
    const r = await gantry(['target', 'check', 'twohops', '--json'], { cwd, env: { ...s.env, GANTRY_SSH_CONFIG: config } });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toMatchObject({ host: '127.0.0.1', via: `${s.user}@127.0.0.1:${s.port}` });
  });

  it('accepts ssh://user@host:port and user@host:port, with the key coming from a Host block', async () => {
    const config = join(s.dir, 'ssh_config_by_address');
    writeFileSync(config, `Host 127.0.0.1\n  IdentityFile ${s.keyPath}\n`);
    for (const target of [`ssh://${s.user}@127.0.0.1:${s.port}`, `${s.user}@127.0.0.1:${s.port}`]) {
      const r = await gantry(['target', 'check', target, '--json'], { cwd, env: { ...s.env, GANTRY_SSH_CONFIG: config } });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ host: '127.0.0.1', port: s.port, user: s.user });
    }
  });

  it('follows Include in the ssh config', async () => {
    const config = join(s.dir, 'ssh_config_with_include');
    writeFileSync(config, `Include ${s.sshConfigPath}\n`);
    const r = await gantry(['target', 'check', s.alias], { cwd, env: { ...s.env, GANTRY_SSH_CONFIG: config } });
    expect(r.code).toBe(0);
  });

  it('checks the local target too', async () => {
    const r = await gantry(['target', 'check', 'local', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'local', port: null, hostKeyFingerprint: null });
  });

  it('refuses a malformed target with a usage error', async () => {
    const r = await gantry(['target', 'check', 'user@host:99999'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('port 99999 is outside 1-65535');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports an unreachable host after retrying with backoff, as a transport failure', async () => {
    const config = join(s.dir, 'ssh_config_dead');
    // Port 1 on loopback: nothing listens there, so every attempt is refused.
    writeFileSync(config, `Host dead\n  HostName 127.0.0.1\n  Port 1\n  IdentityFile ${s.keyPath}\n`);
    const r = await gantry(['target', 'check', 'dead'], { cwd, env: { ...s.env, GANTRY_SSH_CONFIG: config } });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('cannot connect to');
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(r.stderr.match(/retry \d+ in \d+ ms/g)?.length).toBe(5);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a ProxyCommand it cannot honour, naming the config file', async () => {
    const config = join(s.dir, 'ssh_config_proxycommand');
    writeFileSync(config, `Host pc\n  ProxyCommand nc %h %p\n`);
    const r = await gantry(['target', 'check', 'pc'], { cwd, env: { ...s.env, GANTRY_SSH_CONFIG: config } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ProxyCommand is not supported');
    expect(r.stderr).toContain(config);
  });
});
