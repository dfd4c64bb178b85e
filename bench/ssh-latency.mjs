// Latency of one trivial remote command (`true`) against a loopback OpenSSH sshd started here:
// gantry's reused connection vs OpenSSH multiplexed (ControlMaster) vs a fresh `ssh host true`.
// Target: gantry's warm command no slower than OpenSSH's multiplexed one (ratio ≤ 1.00).
// All three include the target's login-shell start-up (sshd runs every command through `$SHELL -c`);
// it is printed alongside (same user, same machine), as it can dwarf the transport (a slow ~/.bashrc).
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { startSshd } from '../test/support/sshd-launcher.mjs';
import { dist, fmt, header, median, timeCommand } from './lib.mjs';

const N = Number(process.env.BENCH_SSH_RUNS ?? 200);
header(`ssh latency (median of ${N} trivial remote commands, loopback sshd)`);

const sshd = await startSshd();
try {
  const { ExecutorPool } = await dist('src/exec/index.js');
  const pool = new ExecutorPool({ env: { ...process.env, ...sshd.env } });
  const ex = pool.get(sshd.alias);
  await ex.run(['true']);
  const warm = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await ex.run(['true']);
    warm.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await pool.closeAll();

  const config = ['-F', sshd.sshConfigPath];
  const mux = ['-o', 'ControlMaster=auto', '-o', `ControlPath=${join(sshd.dir, 'cm')}`, '-o', 'ControlPersist=120'];
  const multiplexed = timeCommand('ssh', [...config, ...mux, sshd.alias, 'true'], N);
  execFileSync('ssh', [...config, ...mux, '-O', 'exit', sshd.alias], { stdio: 'ignore' });
  const fresh = timeCommand('ssh', [...config, sshd.alias, 'true'], N);

  // bash reads ~/.bashrc when SSH_CLIENT is set at shell level 1, exactly as under sshd.
  const loginShell = userInfo().shell || '/bin/sh';
  const shellEnv = { ...process.env, SSH_CLIENT: '127.0.0.1 50000 22', SHLVL: '0' };
  const shell = median(timeCommand(loginShell, ['-c', 'true'], Math.min(N, 50), { env: shellEnv }));

  const [g, m, f] = [median(warm), median(multiplexed), median(fresh)];
  console.log(`login shell start-up (${loginShell} -c true)  ${fmt(shell)}   (included in every figure below)`);
  console.log(`OpenSSH ControlMaster (reference)  ${fmt(m)}`);
  console.log(`gantry, reused connection          ${fmt(g)}   ratio ${(g / m).toFixed(2)}× (target ≤ 1.00×)`);
  console.log(`OpenSSH fresh ssh host true        ${fmt(f)}   ratio ${(f / m).toFixed(2)}× (gantry warm is ${(f / g).toFixed(2)}× faster)`);
} finally {
  await sshd.stop();
}
