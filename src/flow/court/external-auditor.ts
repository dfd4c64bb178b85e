import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { split } from 'shlex';
import { ConstitutionalVerdict } from '../../../contracts/flow.js';
import { unverified } from './auditor.js';

/**
 * `WF_SUBAGENT_VALIDATOR_CMD <cmd> --evidence <file> --output <file> --phase <P>`, bounded by a timeout.
 * A timeout, a crash, a non-zero exit without a verdict, or a verdict that does not parse is
 * `unverified`: the court fails closed.
 */
export async function runExternalAuditor(opts: {
  command: string;
  timeoutSecs: number;
  evidencePath: string;
  outputPath: string;
  phase: string;
  cwd: string;
  signal: AbortSignal;
}): Promise<ConstitutionalVerdict> {
  const engine = `external:${opts.command}`;
  const argv = split(opts.command);
  if (argv.length === 0) return unverified(opts.phase, engine, 'WF_SUBAGENT_VALIDATOR_CMD is empty');
  mkdirSync(dirname(opts.outputPath), { recursive: true });
  rmSync(opts.outputPath, { force: true });
  // Its own process group and a log file instead of pipes: on a timeout the whole group is killed, and
  // a grandchild that keeps running cannot hold the court open by holding a pipe.
  const logPath = `${opts.outputPath}.log`;
  const sub = execa(argv[0]!, [...argv.slice(1), '--evidence', opts.evidencePath, '--output', opts.outputPath, '--phase', opts.phase], {
    cwd: opts.cwd,
    reject: false,
    detached: true,
    stdin: 'ignore',
    stdout: { file: logPath },
    stderr: { file: logPath, append: true },
  });
  let ended: 'timeout' | 'canceled' | null = null;
  const end = (why: 'timeout' | 'canceled') => {
    ended ??= why;
    killGroup(sub.pid);
  };
  const timer = setTimeout(() => end('timeout'), opts.timeoutSecs * 1000);
  const onAbort = () => end('canceled');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  const result = await sub.finally(() => {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  });
  if (ended === 'timeout') return unverified(opts.phase, engine, `auditor timed out after ${opts.timeoutSecs}s`);
  if (ended === 'canceled') return unverified(opts.phase, engine, 'auditor canceled');
  if (result.failed && result.exitCode === undefined)
    return unverified(opts.phase, engine, `auditor could not run: ${result.shortMessage ?? 'unknown error'}`);
  if (!existsSync(opts.outputPath))
    return unverified(opts.phase, engine, `auditor exited ${result.exitCode ?? result.signal} without writing ${opts.outputPath}: ${lastLine(logPath)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(opts.outputPath, 'utf8'));
  } catch (e) {
    return unverified(opts.phase, engine, `auditor verdict is not JSON: ${(e as Error).message}`);
  }
  const verdict = ConstitutionalVerdict.safeParse(parsed);
  if (!verdict.success)
    return unverified(opts.phase, engine, `auditor verdict does not match the verdict schema: ${verdict.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (verdict.data.phase !== opts.phase) return unverified(opts.phase, engine, `auditor judged phase ${verdict.data.phase}, not ${opts.phase}`);
  if (verdict.data.pass !== (verdict.data.status === 'pass'))
    return unverified(opts.phase, engine, `auditor verdict is inconsistent: status ${verdict.data.status} but pass=${verdict.data.pass}`);
  return verdict.data;
}

function lastLine(logPath: string): string {
  const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
  return text.trim().split('\n').at(-1) || '(no output)';
}

function killGroup(pid: number | undefined): void {
  try {
    if (pid) process.kill(-pid, 'SIGKILL');
  } catch {
    /* the group is already gone */
  }
}
