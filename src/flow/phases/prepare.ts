import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CODES } from '../constitution.js';
import { atLeast, readFsm } from '../fsm.js';
import { runScript } from '../remote.js';
import { envOf, execOf, ok, PhaseFailure, type FlowSession, type PhaseOutcome } from '../session.js';
import { move, stepLog } from './common.js';

const PREREQS = `missing=''; for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing="$missing $t"; done; echo "$missing"`;
const INSTALL = `if [ "$(id -u)" -eq 0 ]; then s=''; else s='sudo -n'; fi
command -v apt-get >/dev/null 2>&1 || { echo "no apt-get on the target" >&2; exit 1; }
$s env DEBIAN_FRONTEND=noninteractive apt-get update -qq && $s env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"`;
/** Packages that provide the prerequisites gantry knows by name. */
const PACKAGE_OF: Record<string, string> = { setsid: 'util-linux', flock: 'util-linux', timeout: 'coreutils', base64: 'coreutils' };

/** Runs a script on the target with its output going to the phase log; returns the exit code. */
async function logged(s: FlowSession, step: string, script: string, args: string[], env: Record<string, string> = {}): Promise<number | null> {
  const log = stepLog(s, step);
  const r = await runScript(execOf(s), script, args, { onStdout: log, onStderr: log, env, signal: s.signal });
  return r.exitCode;
}

async function missingTools(s: FlowSession, tools: string[]): Promise<string[]> {
  const r = await runScript(execOf(s), PREREQS, tools);
  return r.stdout.toString('utf8').trim().split(/\s+/).filter(Boolean);
}

/**
 * P40: prerequisites present (installed with apt-get when BOOTSTRAP_AUTO_INSTALL=1), then BOOTSTRAP_SCRIPT.
 * A target whose FSM is already BOOTSTRAPPED or later is not bootstrapped again.
 */
export async function bootstrap(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const fsm = await readFsm(execOf(s), env.OPS_REMOTE_OUTPUTS_DIR);
  if (atLeast(fsm.state, 'BOOTSTRAPPED'))
    return ok('bootstrap', { message: `already bootstrapped (FSM ${fsm.state}); not repeated`, details: { fsm_state: fsm.state, repeated: false } });
  // The tracked tasks need setsid and flock, the sweep timeout and base64, whatever the config lists.
  const tools = [...new Set([...env.BOOTSTRAP_PREREQS.split(/\s+/).filter(Boolean), 'setsid', 'flock', 'timeout', 'base64'])];
  let missing = await missingTools(s, tools);
  let installed: string[] = [];
  if (missing.length && env.BOOTSTRAP_AUTO_INSTALL === '1') {
    installed = [...new Set(missing.map((t) => PACKAGE_OF[t] ?? t))];
    await logged(s, 'P40', INSTALL, installed);
    missing = await missingTools(s, tools);
  }
  if (missing.length)
    throw new PhaseFailure(CODES.BOOTSTRAP_FAILED, `the target lacks ${missing.join(', ')} (install them, or set BOOTSTRAP_AUTO_INSTALL=1)`, 'bootstrap', { missing });
  if (env.BOOTSTRAP_SCRIPT) {
    const script = readFileSync(resolve(s.ws.projectRoot, env.BOOTSTRAP_SCRIPT), 'utf8');
    const rc = await logged(s, 'P40', script, [], { OPS_REMOTE_REPO: env.OPS_REMOTE_REPO, OPS_REMOTE_OUTPUTS_DIR: env.OPS_REMOTE_OUTPUTS_DIR, DATA_DIR: env.DATA_DIR });
    if (rc !== 0)
      throw new PhaseFailure(CODES.BOOTSTRAP_FAILED, `BOOTSTRAP_SCRIPT ${env.BOOTSTRAP_SCRIPT} exited ${rc} (its output is in logs/steps/P40.log)`, 'bootstrap', {
        script: env.BOOTSTRAP_SCRIPT,
        rc,
      });
  }
  const moved = await move(s, 'BOOTSTRAPPED', CODES.BOOTSTRAP_FAILED, 'bootstrap', 'P40 bootstrap');
  return ok('bootstrap', { fsm: moved, details: { prerequisites: tools, installed, script: env.BOOTSTRAP_SCRIPT || null } });
}

const CHECKOUT = `url=$1; dir=$(expand "$2"); branch=$3; pr=$4; force=$5
export GIT_TERMINAL_PROMPT=0
if [ ! -d "$dir/.git" ]; then mkdir -p "$(dirname "$dir")" && git clone -q "$url" "$dir" || exit 11; fi
cd "$dir" || exit 11
git remote set-url origin "$url" || exit 11
if [ -n "$(git status --porcelain)" ]; then
  if [ "$force" = 1 ]; then git reset -q --hard && git clean -qfdx; else echo "the working tree $dir has local changes; set CHECKOUT_FORCE_CLEAN=1 to discard them" >&2; exit 12; fi
fi
if [ -n "$pr" ]; then
  git fetch -q origin "pull/$pr/head" && git checkout -q --detach FETCH_HEAD || exit 13
else
  git fetch -q origin || exit 13
  [ -n "$branch" ] || branch=$(git symbolic-ref --short refs/remotes/origin/HEAD 2>/dev/null | sed 's#^origin/##')
  git checkout -q -B "$branch" "origin/$branch" || exit 13
fi
printf '%s %s\\n' "$(git rev-parse HEAD)" "\${branch:-pr-$pr}"
`;

const WHY: Record<number, string> = { 11: 'clone failed', 12: 'the working tree has local changes', 13: 'fetching or checking out the revision failed' };

/**
 * P50: clone or fetch REPO_URL into OPS_REMOTE_REPO at CHECKOUT_BRANCH or the head of CHECKOUT_PR
 * (discarding local changes only with CHECKOUT_FORCE_CLEAN=1), then CHECKOUT_VERIFY_CMD in the checkout.
 */
export async function checkout(s: FlowSession): Promise<PhaseOutcome> {
  const env = envOf(s);
  const exec = execOf(s);
  const fsm = await readFsm(exec, env.OPS_REMOTE_OUTPUTS_DIR);
  if (fsm.state === 'SWEEP_RUNNING' && s.options.sweep === 'resume')
    return ok('checkout', { message: 'a sweep is running from the current checkout; it is kept (--sweep resume)', details: { fsm_state: fsm.state, repo_url: env.REPO_URL } });
  if (!atLeast(fsm.state, 'BOOTSTRAPPED') || fsm.state === 'SWEEP_RUNNING') await move(s, 'CHECKED_OUT', CODES.CHECKOUT_FAILED, 'checkout', 'P50 checkout');
  const log = stepLog(s, 'P50');
  const r = await runScript(exec, CHECKOUT, [env.REPO_URL, env.OPS_REMOTE_REPO, env.CHECKOUT_BRANCH, env.CHECKOUT_PR, env.CHECKOUT_FORCE_CLEAN], {
    onStderr: log,
    signal: s.signal,
  });
  if (r.exitCode !== 0)
    throw new PhaseFailure(CODES.CHECKOUT_FAILED, `checkout of ${env.REPO_URL} failed: ${WHY[r.exitCode ?? 0] ?? `exit ${r.exitCode}`} (see logs/steps/P50.log)`, 'checkout', {
      repo_url: env.REPO_URL,
    });
  const [commit, revision] = r.stdout.toString('utf8').trim().split(' ');
  let verified: boolean | null = null;
  if (env.CHECKOUT_VERIFY_CMD) {
    const v = await runScript(exec, 'cd "$(expand "$1")" && exec sh -c "$2"', [env.OPS_REMOTE_REPO, env.CHECKOUT_VERIFY_CMD], { onStdout: log, onStderr: log, signal: s.signal });
    verified = v.exitCode === 0;
    if (!verified)
      throw new PhaseFailure(CODES.CHECKOUT_VERIFY_FAILED, `CHECKOUT_VERIFY_CMD exited ${v.exitCode} (see logs/steps/P50.log)`, 'checkout', { commit, verify: env.CHECKOUT_VERIFY_CMD });
  }
  const moved = await move(s, 'CHECKED_OUT', CODES.CHECKOUT_FAILED, 'checkout', `P50 checkout ${commit}`);
  return ok('checkout', {
    artifact: `${exec.target}:${env.OPS_REMOTE_REPO}@${commit}`,
    fsm: moved,
    details: { repo_url: env.REPO_URL, commit, revision, verified, verify_cmd: env.CHECKOUT_VERIFY_CMD || null },
  });
}
