import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskStatus } from '../../contracts/task.js';
import { ExecutorPool, TrackedTasks, type Executor, type RunOptions } from '../../src/exec/index.js';
import { gantry, gantryBackground, REPO_ROOT, tmp, waitFor } from '../support/gantry.js';
import { privateTmux } from '../support/private-tmux.js';
import { startSshd, type Sshd } from '../support/sshd.js';

let s: Sshd;
let cwd: string;
beforeAll(async () => {
  s = await startSshd();
  cwd = tmp();
});
afterAll(async () => s?.stop());

/** A sleep duration no other process on the machine uses, so pgrep finds exactly our processes. */
const uniqueSleep = () => String(300_000 + Math.floor(Math.random() * 100_000));
const noProcess = (pattern: string) => spawnSync('pgrep', ['-f', pattern]).status === 1;
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
/** A task command printing `line 1` .. `line n`, one every `gap` seconds. */
const counter = (n: number, gap: string) => `i=1; while [ $i -le ${n} ]; do echo "line $i"; i=$((i+1)); sleep ${gap}; done`;

describe.each(['local', 'ssh'] as const)('tracked tasks on the %s target', (kind) => {
  let target: string;
  let outputs: string;
  let env: Record<string, string>;
  const task = (verb: string, id: string, ...extra: string[]) =>
    gantry(['task', verb, '--target', target, '--id', id, '--outputs-dir', outputs, ...extra], { cwd, env });
  beforeAll(() => {
    target = kind === 'local' ? 'local' : s.alias;
    outputs = join(tmp(), 'outputs');
    env = s.env;
  });

  it('runs a task detached, keeps command.sh, stdout.log and status.json, and reports it', async () => {
    const command = `echo "hello from $(uname -s)"; echo oops >&2; sleep 0.5; echo bye`;
    const run = await task('run', 'basic', '--cmd', command);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('task basic started');
    const dir = join(outputs, '_tasks', 'basic');
    expect(readFileSync(join(dir, 'command.sh'), 'utf8')).toBe(`${command}\n`);

    const waited = await task('wait', 'basic');
    expect(waited).toMatchObject({ code: 0 });
    expect(waited.stdout.trim()).toBe('task basic: success (exit 0)');

    const read = await task('status', 'basic', '--json');
    expect(read).toMatchObject({ code: 0, stderr: '' });
    const status = TaskStatus.parse(JSON.parse(read.stdout));
    expect(status).toMatchObject({ task_id: 'basic', state: 'success', exit_code: 0, reason: null });
    expect(status.pid).toBe(status.pgid);
    expect(Date.parse(status.ended_at!)).toBeGreaterThanOrEqual(Date.parse(status.started_at!));
    expect(TaskStatus.parse(JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')))).toEqual(status);

    const logs = await task('logs', 'basic');
    // (The test helper strips the final newline, as execa does.)
    expect(logs.stdout).toBe('hello from Linux\noops\nbye');
    expect(logs.stderr).toContain('next offset 26');
    const tail = await task('logs', 'basic', '--since-offset', '17', '--json');
    expect(JSON.parse(tail.stdout)).toMatchObject({ offset: 17, next_offset: 26, text: 'oops\nbye\n' });

    const list = await gantry(['task', 'list', '--target', target, '--outputs-dir', outputs, '--json'], { cwd, env });
    expect(JSON.parse(list.stdout).map((t: { task_id: string }) => t.task_id)).toContain('basic');
  });

  it('passes a command with quotes, $() and ; to the target shell exactly as written', async () => {
    const command = `printf '%s\\n' "it's" '$(touch pwned)' "a;b" 'x"y'`;
    expect(await task('run', 'literal', '--cmd', command)).toMatchObject({ code: 0 });
    expect(await task('wait', 'literal')).toMatchObject({ code: 0 });
    expect((await task('logs', 'literal')).stdout).toBe(`it's\n$(touch pwned)\na;b\nx"y`);
    expect(readFileSync(join(outputs, '_tasks', 'literal', 'command.sh'), 'utf8')).toBe(`${command}\n`);
  });

  it('records a failing command as failed with its exit code; task wait exits 1', async () => {
    await task('run', 'fails', '--cmd', 'echo about to fail; exit 3', '--runner', 'setsid');
    const waited = await task('wait', 'fails', '--json');
    expect(waited).toMatchObject({ code: 1 });
    expect(JSON.parse(waited.stdout)).toMatchObject({ state: 'failed', exit_code: 3, runner: 'setsid' });
  });

  it('kills the whole process tree on timeout, including children that ignore TERM', async () => {
    const a = uniqueSleep();
    const b = uniqueSleep();
    const cmd = `sh -c 'trap "" TERM; sleep ${a}' & sleep ${b} & echo started; wait`;
    expect(await task('run', 'slow', '--timeout-secs', '1', '--cmd', cmd)).toMatchObject({ code: 0 });
    const waited = await task('wait', 'slow', '--json');
    expect(waited).toMatchObject({ code: 1 });
    expect(JSON.parse(waited.stdout)).toMatchObject({ state: 'timed_out', reason: 'timed out after 1s', timeout_secs: 1 });
    expect(noProcess(`sleep ${a}`)).toBe(true);
    expect(noProcess(`sleep ${b}`)).toBe(true);
  });

  it('kills a running task on request and says so', async () => {
    const a = uniqueSleep();
    await task('run', 'killme', '--cmd', `sleep ${a} & sleep ${a}`);
    await waitFor(() => !noProcess(`sleep ${a}`), 10_000, 'the task to start');
    const killed = await task('kill', 'killme');
    expect(killed).toMatchObject({ code: 0 });
    expect(killed.stdout).toContain('task killme: failed');
    expect(killed.stdout).toContain('killed by gantry task kill');
    expect(noProcess(`sleep ${a}`)).toBe(true);
    const again = await task('kill', 'killme');
    expect(again.stdout).toContain('(was not running)');
  });

  it('stops waiting when --timeout-secs runs out, with exit code 9, leaving the task running', async () => {
    const a = uniqueSleep();
    await task('run', 'longer', '--cmd', `sleep ${a}`);
    try {
      const waited = await task('wait', 'longer', '--timeout-secs', '1');
      expect(waited).toMatchObject({ code: 9 });
      expect(waited.stderr).toContain('task longer is still running after 1 s');
      expect(waited.stderr).toContain('gantry task kill');
      expect(noProcess(`sleep ${a}`)).toBe(false);
    } finally {
      await task('kill', 'longer');
    }
  });

  it('reports a task whose wrapper vanished as failed (lost) instead of running forever', async () => {
    const a = uniqueSleep();
    await task('run', 'orphan', '--cmd', `sleep ${a}`, '--runner', 'setsid');
    const statusFile = join(outputs, '_tasks', 'orphan', 'status.json');
    const current = () => TaskStatus.parse(JSON.parse(readFileSync(statusFile, 'utf8')));
    await waitFor(() => current().state === 'running', 10_000, 'the task to start');
    const { wrapper_pid, pgid } = current();
    try {
      process.kill(wrapper_pid!, 'SIGKILL');
      const status = await task('status', 'orphan', '--json');
      expect(JSON.parse(status.stdout)).toMatchObject({ state: 'failed' });
      expect(JSON.parse(status.stdout).reason).toMatch(/^lost: /);
    } finally {
      process.kill(-pgid!, 'SIGKILL');
    }
  });

  it('holds a task run --after another: nothing of it runs until that task ends, however it ends', async () => {
    const a = uniqueSleep();
    await task('run', 'head', '--cmd', `sleep ${a}`);
    const held = await task('run', 'next', '--after', 'head', '--cmd', 'echo next ran');
    expect(held).toMatchObject({ code: 0, stderr: '' });
    expect(held.stdout).toContain('task next created on');
    expect(held.stdout).toContain('it starts when task head has ended');
    const status = JSON.parse((await task('status', 'next', '--json')).stdout);
    expect(status).toMatchObject({ state: 'pending', after: 'head', wrapper_pid: null });
    expect((await task('status', 'next')).stdout.split('\n')[0]).toBe('task next: pending — held until task head has ended');
    expect((await gantry(['task', 'list', '--target', target, '--outputs-dir', outputs], { cwd, env })).stdout).toMatch(/^next +held +- /m);
    expect(noProcess(join(outputs, '_tasks', 'next'))).toBe(true);

    await task('kill', 'head');
    const waited = await task('wait', 'next');
    expect(waited).toMatchObject({ code: 0 });
    expect((await task('logs', 'next')).stdout).toBe('next ran');
    const ended = JSON.parse((await task('status', 'head', '--json')).stdout);
    const started = JSON.parse((await task('status', 'next', '--json')).stdout);
    expect(Date.parse(started.started_at)).toBeGreaterThanOrEqual(Date.parse(ended.ended_at));
  });

  it('kills a held task before it ever starts; the task held behind it waits for what it waited for', async () => {
    const a = uniqueSleep();
    const marker = join(tmp(), 'second-ran');
    await task('run', 'q1', '--cmd', `sleep ${a}`);
    await task('run', 'q2', '--after', 'q1', '--cmd', `touch ${marker}`);
    await task('run', 'q3', '--after', 'q2', '--cmd', 'echo third');
    const killed = await task('kill', 'q2');
    expect(killed).toMatchObject({ code: 0 });
    expect(killed.stdout).toContain('killed by gantry task kill before it started');
    expect(JSON.parse((await task('status', 'q3', '--json')).stdout)).toMatchObject({ state: 'pending' });

    await task('kill', 'q1');
    expect(await task('wait', 'q3')).toMatchObject({ code: 0 });
    expect((await task('logs', 'q3')).stdout).toBe('third');
    expect(existsSync(marker)).toBe(false);
    expect(JSON.parse((await task('status', 'q2', '--json')).stdout)).toMatchObject({ state: 'failed', started_at: null });
  });

  it('refuses --after a task that does not exist, creating nothing', async () => {
    const r = await task('run', 'orphaned', '--after', 'no-such-task', '--cmd', 'true');
    expect(r).toMatchObject({ code: 5 });
    expect(r.stderr).toContain('cannot wait for task "no-such-task": there is no such task');
    expect(existsSync(join(outputs, '_tasks', 'orphaned'))).toBe(false);
  });

  it('gives the command the default handling of SIGPIPE and SIGHUP', async () => {
    await task('run', 'signals', '--cmd', "awk '/^SigIgn/ { print $2 }' /proc/self/status");
    await task('wait', 'signals');
    const ignored = BigInt(`0x${(await task('logs', 'signals')).stdout.trim()}`);
    expect(ignored & ((1n << 0n) | (1n << 12n))).toBe(0n);
  });

  it('refuses unknown, reused and malformed task ids with clear errors', async () => {
    const unknown = await task('status', 'never-ran');
    expect(unknown).toMatchObject({ code: 5 });
    expect(unknown.stderr).toContain('no task "never-ran"');
    await task('run', 'once', '--cmd', 'true');
    const reused = await task('run', 'once', '--cmd', 'true');
    expect(reused).toMatchObject({ code: 2 });
    expect(reused.stderr).toContain('task id "once" is already used');
    const bad = await task('run', '../escape', '--cmd', 'true');
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('not a valid task id');
    expect(`${unknown.stderr}${reused.stderr}${bad.stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe('a tracked task over ssh when the connection drops', () => {
  it('keeps running; task logs --follow reconnects and prints every line exactly once; task wait succeeds', async () => {
    const outputs = join(tmp(), 'outputs');
    const args = (verb: string, ...extra: string[]) => ['task', verb, '--target', s.alias, '--id', 'survivor', '--outputs-dir', outputs, ...extra];
    expect(await gantry(args('run', '--cmd', counter(150, '0.03')), { cwd, env: s.env })).toMatchObject({ code: 0 });

    const follow = gantryBackground(args('logs', '--follow'), { cwd, env: s.env });
    let seen = '';
    follow.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
    await waitFor(() => seen.split('\n').length > 20, 30_000, 'the follower to print 20 lines');
    expect(s.killSessionChildren()).toBeGreaterThan(0);
    const done = await follow;

    expect(done.exitCode).toBe(0);
    expect(String(done.stderr)).toMatch(/connection lost.*retry 1 in \d+ ms/);
    expect(String(done.stdout)).toBe(lines(150).join('\n'));
    expect(readFileSync(join(outputs, '_tasks', 'survivor', 'stdout.log'), 'utf8')).toBe(lines(150).join('\n') + '\n');

    const waited = await gantry(args('wait'), { cwd, env: s.env });
    expect(waited).toMatchObject({ code: 0 });
    expect(waited.stdout.trim()).toBe('task survivor: success (exit 0)');
  });
});

describe('a batch start', () => {
  // The local target's commands get this process's environment: its tasks use a private tmux server.
  const tmux = privateTmux();
  const before = process.env.TMUX_TMPDIR;
  const pool = new ExecutorPool();
  beforeAll(() => {
    process.env.TMUX_TMPDIR = tmux.env.TMUX_TMPDIR;
  });
  afterAll(async () => {
    await pool.closeAll();
    tmux.stop();
    if (before === undefined) delete process.env.TMUX_TMPDIR;
    else process.env.TMUX_TMPDIR = before;
  });
  const windows = () => execFileSync('tmux', ['list-windows', '-t', 'gantry', '-F', '#W'], { encoding: 'utf8' }).split('\n').filter(Boolean);

  it('starts 120 tasks with one remote command, each once and in its own tmux window; held ones follow theirs', async () => {
    const local = pool.get('local');
    let commands = 0;
    const counted: Executor = Object.create(local, { run: { value: (argv: readonly string[], opts?: RunOptions) => (commands++, local.run(argv, opts)) } });
    const dir = tmp();
    const tasks = new TrackedTasks(counted, { outputsDir: join(dir, 'outputs') });
    const go = join(dir, 'go');
    const ran = join(dir, 'ran');
    const hold = (id: string) => `while [ ! -e ${go} ]; do sleep 0.1; done; echo ${id} >> ${ran}`;
    const firsts = Array.from({ length: 110 }, (_, i) => ({ id: `t${i}`, command: hold(`t${i}`), runner: 'tmux' as const }));
    const followers = Array.from({ length: 10 }, (_, i) => ({ id: `f${i}`, command: `echo f${i} >> ${ran}`, runner: 'tmux' as const, after: `t${i}` }));

    const results = await tasks.startMany([...firsts, ...followers]);
    expect(commands).toBe(1);
    expect(results.map((r) => ('started' in r ? `${r.id}:${r.started.held ? 'held' : 'started'}` : `${r.id}:error`))).toEqual([
      ...firsts.map((t) => `${t.id}:started`),
      ...followers.map((t) => `${t.id}:held`),
    ]);
    await waitFor(() => windows().length === 110, 20_000, '110 tmux windows');
    expect(windows().sort()).toEqual(firsts.map((t) => t.id).sort());

    writeFileSync(go, '');
    await waitFor(async () => (await tasks.list()).every((t) => t.state === 'success'), 60_000, 'every task to succeed');
    expect(readFileSync(ran, 'utf8').trim().split('\n').sort()).toEqual([...firsts, ...followers].map((t) => t.id).sort());
    const [held, followed] = [await tasks.status('f3'), await tasks.status('t3')];
    expect(held.after).toBe('t3');
    expect(Date.parse(held.started_at!)).toBeGreaterThanOrEqual(Date.parse(followed.ended_at!));

    const again = await tasks.startMany([{ id: 't0', command: 'true' }, { id: 'fresh', command: 'true' }]);
    expect(again[0]).toMatchObject({ id: 't0', alreadyExists: true });
    expect(again[1]).toMatchObject({ id: 'fresh', started: { held: false } });
  });

  it('cut short in transit: every whole line is carried out, its windows opened; the cut line creates nothing', async () => {
    const outputs = join(tmp(), 'outputs');
    const wrapper = readFileSync(join(REPO_ROOT, 'configs', 'task-wrapper.sh'), 'utf8');
    const line = (id: string) => `start_task ${id} 0 tmux - 'echo ${id} ran' end\n`;
    const itself = `wrapper=$(cat <<'GANTRY_TASK_WRAPPER_END'\n${wrapper}\nGANTRY_TASK_WRAPPER_END\n)\n`;
    const script = `${wrapper}\n${itself}${line('w1')}${line('w2')}${line('w3')}${line('w4').slice(0, 22)}`;
    const r = await pool.get('local').run(['sh', '-s', '--', 'start', outputs], { stdin: script });
    expect(r.stdout.toString().split('\n').filter(Boolean).map((l) => l.split('\t').slice(0, 2).join(' ')).sort()).toEqual(['0 w1', '0 w2', '0 w3']);
    const tasks = new TrackedTasks(pool.get('local'), { outputsDir: outputs });
    for (const id of ['w1', 'w2', 'w3']) expect(await tasks.wait(id, { timeoutMs: 20_000 })).toMatchObject({ state: 'success' });
    expect(existsSync(join(outputs, '_tasks', 'w4'))).toBe(false);
    // Each task keeps the wrapper that runs it, carried whole by the here-document.
    expect(readFileSync(join(outputs, '_tasks', 'w2', 'wrapper.sh'), 'utf8')).toBe(wrapper.replace(/\n+$/, ''));
  });
});

describe('the default outputs folder', () => {
  it('is $OPS_REMOTE_OUTPUTS_DIR when set', async () => {
    const outputs = join(tmp(), 'ops-outputs');
    const env = { ...s.env, OPS_REMOTE_OUTPUTS_DIR: outputs };
    expect(await gantry(['task', 'run', '--target', s.alias, '--id', 'dflt', '--cmd', 'echo here'], { cwd, env })).toMatchObject({ code: 0 });
    expect(await gantry(['task', 'wait', '--target', s.alias, '--id', 'dflt'], { cwd, env })).toMatchObject({ code: 0 });
    expect(existsSync(join(outputs, '_tasks', 'dflt', 'stdout.log'))).toBe(true);
  });
});
