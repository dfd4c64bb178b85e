// A real OpenSSH sshd on a free 127.0.0.1 port, with its own host key, authorized key, config, known_hosts
// and ssh config in a temporary folder, so nothing touches ~/.ssh. Plain JS so that both the vitest helper
// (test/support/sshd.ts) and bench/ssh-latency.mjs use this one copy.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const SSHD = process.env.GANTRY_TEST_SSHD || '/usr/sbin/sshd';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** Resolves once the port answers with an SSH banner. */
async function waitForBanner(port, child, logPath) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await new Promise((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      s.setTimeout(1000);
      s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('SSH-2.0'))));
      s.once('error', () => resolve(false));
      s.once('timeout', () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
  throw new Error(`sshd did not come up on 127.0.0.1:${port}\n${log}`);
}

/** Every process below `pid`, read from /proc (Linux). */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm is in parentheses and may contain spaces; fields after it are space separated.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: Number(entry), comm });
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

/**
 * @returns {Promise<{host: string, port: number, user: string, dir: string, keyPath: string,
 *   knownHostsPath: string, sshConfigPath: string, alias: string, jumpAlias: string, hostPublicKey: string,
 *   logPath: string, pid: number, env: Record<string,string>, stop(): Promise<void>, killSessionChildren(): number}>}
 */
export async function startSshd() {
  if (!existsSync(SSHD))
    throw new Error(`OpenSSH sshd not found at ${SSHD}: run test/support/system-deps.sh (apt-get install openssh-server)`);
  const dir = mkdtempSync(join(tmpdir(), 'gantry-sshd-'));
  const user = userInfo().username;
  const keygen = (file, comment) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  const hostKey = join(dir, 'host_ed25519');
  const keyPath = join(dir, 'id_ed25519');
  keygen(hostKey, 'gantry-test-host');
  keygen(keyPath, 'gantry-test-client');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${keyPath}.pub`));
  // sshd refuses to start as root without its privilege separation folder.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'MaxStartups 200',
      // bash sources ~/.bashrc for commands sshd runs unless SHLVL says it is nested; a slow one (pyenv,
      // conda) would then dominate every test and bench figure, and it is not what they measure.
      // Tracked tasks open their tmux windows in a server of this folder's, not the user's own.
      `SetEnv SHLVL=1 TMUX_TMPDIR=${dir}`,
      'Subsystem sftp internal-sftp',
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  const logPath = join(dir, 'sshd.log');
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', openSync(logPath, 'a')] });
  await waitForBanner(port, child, logPath);

  const hostPublicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const knownHostsPath = join(dir, 'known_hosts');
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  const alias = 'gantry-test';
  const jumpAlias = 'gantry-test-via-jump';
  const sshConfigPath = join(dir, 'ssh_config');
  const hostBlock = (name, extra) =>
    [
      `Host ${name}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${keyPath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHostsPath}`,
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  LogLevel ERROR',
      ...extra,
      '',
    ].join('\n');
  writeFileSync(sshConfigPath, hostBlock(alias, []) + hostBlock(jumpAlias, [`  ProxyJump ${alias}`]));

  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    dir,
    keyPath,
    knownHostsPath,
    sshConfigPath,
    alias,
    jumpAlias,
    hostPublicKey,
    logPath,
    pid: child.pid,
    /**
     * Environment that points gantry at this server's files (and away from any real agent); tasks on
     * the local target use this server's private tmux too.
     */
    env: { GANTRY_SSH_CONFIG: sshConfigPath, GANTRY_KNOWN_HOSTS: knownHostsPath, SSH_AUTH_SOCK: '', TMUX_TMPDIR: dir },
    /** Kills the sshd processes serving current connections (as a network drop would), not the listener. */
    killSessionChildren() {
      const victims = descendants(child.pid).filter((p) => p.comm.startsWith('sshd'));
      for (const v of victims) {
        try {
          process.kill(v.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      return victims.length;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      this.killSessionChildren();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      const tmuxSocket = join(dir, `tmux-${process.getuid?.() ?? 0}`, 'default');
      if (existsSync(tmuxSocket)) spawnSync('tmux', ['-S', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
