import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { split } from 'shlex';
import { ConstitutionalVerdict } from '../../../contracts/flow.js';
import { withOutputFile } from '../output-file.js';
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
  // a grandchild that keeps running cannot hold the court open by holding a pipe; once the auditor has
  // ended, whatever it left running is ended too.
  const logPath = `${opts.outputPath}.log`;
  let ended: 'timeout' | 'canceled' | null = null;
  const result = await withOutputFile(logPath, (log) => {
    const sub = execa(argv[0]!, [...argv.slice(1), '--evidence', opts.evidencePath, '--output', opts.outputPath, '--phase', opts.phase], {
      cwd: opts.cwd,
      reject: false,
      detached: true,
      stdin: 'ignore',
      stdout: log,
      stderr: log,
    });
    const end = (why: 'timeout' | 'canceled') => {
      ended ??= why;
      killGroup(sub.pid);
    };
    const timer = setTimeout(() => end('timeout'), opts.timeoutSecs * 1000);
    const onAbort = () => end('canceled');
    opts.signal.addEventListener('abort', onAbort, { once: true });
    return sub.finally(() => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      killGroup(sub.pid);
    });
  });
  if (ended === 'timeout') return unverified(opts.phase, engine, `auditor timed out after ${opts.timeoutSecs}s`);
  if (ended === 'canceled') return unverified(opts.phase, engine, 'auditor canceled');
  if (result.signal) return unverified(opts.phase, engine, `auditor was killed by ${result.signal} before giving a verdict: ${lastLine(logPath)}`);
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

const TAIL_BYTES = 4096;
const EXCERPT_CHARS = 200;

/**
 * The end of the auditor's last line of output, printable and short: it goes into the verdict files and
 * onto the terminal, and an auditor may print anything (megabytes, escape sequences, invalid UTF-8).
 */
function lastLine(logPath: string): string {
  if (!existsSync(logPath)) return '(no output)';
  const fd = openSync(logPath, 'r');
  let tail: Buffer;
  try {
    const size = fstatSync(fd).size;
    tail = Buffer.alloc(Math.min(size, TAIL_BYTES));
    readSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  const text = tail
    .toString('utf8')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffd]/g, '');
  const line = text.trim().split('\n').at(-1)?.trim() || '(no output)';
  return line.length > EXCERPT_CHARS ? `…${line.slice(-EXCERPT_CHARS)}` : line;
}

function killGroup(pid: number | undefined): void {
  try {
    if (pid) process.kill(-pid, 'SIGKILL');
  } catch {
    /* the group is already gone */
  }
}
