import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GANTRY_BIN, gantry, tmp, waitFor } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';

const PASSPHRASE = 'correct horse battery staple';
let s: Sshd;
let cwd: string;
let agent: ChildProcess;
let agentSocket: string;
let lockedKey: string;
/** A HOME without ~/.ssh keys, so only what a test configures can authenticate. */
let emptyHome: string;

beforeAll(async () => {
  s = await startSshd();
  cwd = tmp();
  emptyHome = tmp();
  lockedKey = join(cwd, 'id_locked');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', lockedKey]);
  appendFileSync(join(s.dir, 'authorized_keys'), readFileSync(`${lockedKey}.pub`));
  agentSocket = join(cwd, 'agent.sock');
  agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  await waitFor(() => existsSync(agentSocket), 10_000, 'ssh-agent socket');
});
afterAll(async () => {
  agent?.kill();
  await s?.stop();
});

/** An ssh config for host `box` that names the server but, unless given, no key. */
function config(name: string, identityFile?: string): string {
  const path = join(cwd, name);
  writeFileSync(path, `Host box\n  HostName 127.0.0.1\n  Port ${s.port}\n  User ${s.user}\n${identityFile ? `  IdentityFile ${identityFile}\n` : ''}`);
  return path;
}

const check = (env: Record<string, string>) => gantry(['target', 'check', 'box'], { cwd, env: { ...s.env, HOME: emptyHome, ...env } });

describe('authentication', () => {
  it('authenticates through ssh-agent (SSH_AUTH_SOCK) with no key file configured', async () => {
    execFileSync('ssh-add', ['-q', s.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
    const cfg = config('agent');
    const withAgent = await check({ GANTRY_SSH_CONFIG: cfg, SSH_AUTH_SOCK: agentSocket });
    expect(withAgent.stderr).toBe('');
    expect(withAgent.code).toBe(0);
    const without = await check({ GANTRY_SSH_CONFIG: cfg, SSH_AUTH_SOCK: '' });
    expect(without.code).toBe(7);
    expect(without.stderr).toContain('no credentials to offer');
  });

  it('names the keys it tried when the server accepts none of them', async () => {
    const stranger = join(cwd, 'id_stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const r = await check({ GANTRY_SSH_CONFIG: config('stranger', stranger) });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`authentication to ${s.user}@127.0.0.1:${s.port} failed (tried ${stranger})`);
  });

  it('refuses to wait for a passphrase without a terminal, and says how to unlock the key instead', async () => {
    const r = await check({ GANTRY_SSH_CONFIG: config('locked', lockedKey) });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`needs the passphrase of ${lockedKey}`);
    expect(r.stderr).toContain(`ssh-add ${lockedKey}`);
  });

  it('asks for the passphrase in a terminal and never echoes it', async () => {
    const r = spawnSync('script', ['-q', '-e', '-c', `${process.execPath} ${GANTRY_BIN} target check box`, '/dev/null'], {
      env: { ...process.env, ...s.env, HOME: emptyHome, GANTRY_SSH_CONFIG: config('locked-tty', lockedKey) },
      input: `${PASSPHRASE}\n`,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout).toContain(`Enter passphrase for key '${lockedKey}'`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('uname:');
    // The pty echoes what was typed before raw mode; gantry itself must print it nowhere else.
    expect(r.stdout.split(PASSPHRASE).length - 1).toBeLessThanOrEqual(1);
  });

  it('IdentitiesOnly yes: the agent offers only the configured key, so seven other keys in it do not use up MaxAuthTries', async () => {
    const socket = join(tmp(), 'crowded.sock');
    const crowded = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await waitFor(() => existsSync(socket), 10_000, 'the second ssh-agent socket');
      const add = (key: string) => execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      for (let i = 0; i < 7; i++) {
        const other = join(cwd, `id_other_${i}`);
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
        add(other);
      }
      // The configured key file is locked and there is no terminal: only the agent's copy can log in.
      const unlocked = join(cwd, 'id_crowded_unlocked');
      copyFileSync(lockedKey, unlocked);
      execFileSync('ssh-keygen', ['-q', '-p', '-P', PASSPHRASE, '-N', '', '-f', unlocked]);
      add(unlocked);
      const path = config('crowded', lockedKey);
      const everyKey = await check({ GANTRY_SSH_CONFIG: path, SSH_AUTH_SOCK: socket });
      expect(everyKey.code).toBe(7);
      appendFileSync(path, '  IdentitiesOnly yes\n');
      const onlyItsOwn = await check({ GANTRY_SSH_CONFIG: path, SSH_AUTH_SOCK: socket });
      expect(onlyItsOwn.stderr).toBe('');
      expect(onlyItsOwn.code).toBe(0);
    } finally {
      crowded.kill();
    }
  });

  it('uses an encrypted key through the agent once it is loaded there', async () => {
    const unlocked = join(cwd, 'id_unlocked_copy');
    copyFileSync(lockedKey, unlocked);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', PASSPHRASE, '-N', '', '-f', unlocked]);
    execFileSync('ssh-add', ['-q', unlocked], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
    const r = await check({ GANTRY_SSH_CONFIG: config('locked-agent', lockedKey), SSH_AUTH_SOCK: agentSocket });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
