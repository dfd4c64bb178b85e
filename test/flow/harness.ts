import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gantry, REPO_ROOT, tempProject, tmp, type CliResult } from '../support/gantry.js';

export const PROVIDER = join(REPO_ROOT, 'test', 'flow', 'fixtures', 'provider.mjs');

export interface FlowProject {
  dir: string;
  ws: string;
  runs: string;
  /** The "pod" side: OPS_REMOTE_OUTPUTS_DIR / OPS_REMOTE_REPO live here (same machine, over SSH or local). */
  pod: string;
  outputs: string;
  counter: string;
  env: Record<string, string>;
  /** Rewrites workflow.env from the base keys plus `extra` (later keys win). */
  configure(extra?: Record<string, string>): void;
  flow(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The single flow run of the workspace (or the latest). */
  runDir(): string;
  events(): { type: string; [k: string]: unknown }[];
  stdoutLines(r: CliResult): string[];
}

/** A real git repository with the demo's toy training script on branch main. */
function originRepo(dir: string): string {
  const origin = join(dir, 'origin');
  mkdirSync(origin, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'configs', 'demo', 'train.sh'), join(origin, 'train.sh'));
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'init.defaultBranch=main', ...a], { cwd: origin });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'train');
  return origin;
}

export const SWEEP_3 = [
  'run_id,config,seed,overrides,notes',
  'r1,base.yaml,1,"lr=0.01,steps=2,step_secs=0.1",first',
  'r2,base.yaml,2,"lr=0.03,steps=2,step_secs=0.1",second',
  'r3,base.yaml,3,"lr=0.1,steps=2,step_secs=0.1","third, with a comma"',
  '',
].join('\n');

/**
 * A project with an initialised workspace, an origin repo, a sweep CSV and a config whose sweep rows
 * append their run_id to a counter file before training (so a test can prove no row ran twice).
 */
export async function flowProject(base: Record<string, string>, env: Record<string, string> = {}): Promise<FlowProject> {
  const p = await tempProject();
  const pod = join(p.dir, 'pod');
  const outputs = join(pod, 'outputs');
  const counter = join(pod, 'counter.txt');
  const origin = originRepo(p.dir);
  writeFileSync(join(p.dir, 'sweep.csv'), SWEEP_3);
  const keys: Record<string, string> = {
    REPO_URL: origin,
    CHECKOUT_BRANCH: 'main',
    OPS_REMOTE_REPO: join(pod, 'repo'),
    OPS_REMOTE_OUTPUTS_DIR: outputs,
    DATA_DIR: join(pod, 'data'),
    SWEEP_CSV: 'sweep.csv',
    SWEEP_CMD_TEMPLATE: `echo {run_id} >> ${counter} && sh train.sh --run-id {run_id} --config {config} --seed {seed} --overrides {overrides} --out {run_dir}`,
    MONITOR_POLL_SECS: '0.3',
    RUN_TIMEOUT_SECS: '60',
    ...base,
  };
  const project: FlowProject = {
    ...p,
    pod,
    outputs,
    counter,
    env,
    configure(extra = {}) {
      const all = { ...keys, ...extra };
      writeFileSync(join(p.ws, 'workflow.env'), Object.entries(all).map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`).join('\n') + '\n');
    },
    flow: (args, more = {}) => gantry(['flow', '--no-tty', ...args], { cwd: p.dir, env: { ...env, ...more } }),
    runDir() {
      const ids = readdirSync(p.runs).filter((d) => d.startsWith('run_')).sort();
      return join(p.runs, ids.at(-1)!);
    },
    events() {
      return readFileSync(join(project.runDir(), 'record', 'events.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string });
    },
    stdoutLines: (r) => r.stdout.split('\n'),
  };
  project.configure();
  return project;
}

/** An ssh config + client key + empty known_hosts for pods the test provider starts. */
export function providerClient(): { env: Record<string, string>; stateDir: string } {
  const dir = tmp();
  const key = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'gantry-flow-test', '-f', key]);
  writeFileSync(join(dir, 'ssh_config'), `Host 127.0.0.1\n  IdentityFile ${key}\n  IdentitiesOnly yes\n`);
  writeFileSync(join(dir, 'known_hosts'), '');
  const stateDir = join(dir, 'pods');
  mkdirSync(stateDir);
  return {
    stateDir,
    env: {
      GANTRY_SSH_CONFIG: join(dir, 'ssh_config'),
      GANTRY_KNOWN_HOSTS: join(dir, 'known_hosts'),
      SSH_AUTH_SOCK: '',
      PROVIDER_STATE_DIR: stateDir,
      PROVIDER_CLIENT_PUBKEY: `${key}.pub`,
    },
  };
}

/** Pods the provider started (and whether they were deleted). */
export function pods(stateDir: string): { id: string; pid: number; port: number; deleted?: boolean }[] {
  return readdirSync(stateDir).map((f) => ({ id: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(join(stateDir, f), 'utf8')) }));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops every sshd a test's provider left running (a failed test must not leak daemons). */
export function stopPods(stateDir: string): void {
  if (!existsSync(stateDir)) return;
  for (const p of pods(stateDir)) if (alive(p.pid)) process.kill(p.pid, 'SIGTERM');
}

export const PHASES = ['P00', 'P10', 'P20', 'P30', 'P40', 'P50', 'P60', 'P70', 'P80', 'P90', 'P99'];

/** The `PHASE=<P> STATUS=.. CODE=..` line of a phase. */
export function phaseLine(out: string, phase: string): string | undefined {
  return out.split('\n').find((l) => l.startsWith(`PHASE=${phase} STATUS=`));
}

export function courtLine(out: string, phase: string): string | undefined {
  return out.split('\n').find((l) => l.startsWith(`PHASE=${phase} COURT=`));
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
