// Latency of one trivial remote command (`true`) against a loopback OpenSSH sshd started here:
// gantry's reused connection vs OpenSSH multiplexed (ControlMaster) vs a fresh `ssh host true`.
// Target: gantry's warm command no slower than OpenSSH's multiplexed one (ratio ≤ 1.00).
// The sshd skips ~/.bashrc (see test/support/sshd-launcher.mjs), so the figures are the transport's.
import { execFileSync } from 'node:child_process';
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

  const [g, m, f] = [median(warm), median(multiplexed), median(fresh)];
  console.log(`OpenSSH ControlMaster (reference)  ${fmt(m)}`);
  console.log(`gantry, reused connection          ${fmt(g)}   ratio ${(g / m).toFixed(2)}× (target ≤ 1.00×)`);
  console.log(`OpenSSH fresh ssh host true        ${fmt(f)}   ratio ${(f / m).toFixed(2)}× (gantry warm is ${(f / g).toFixed(2)}× faster)`);
} finally {
  await sshd.stop();
}
