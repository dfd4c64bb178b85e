import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GantryError } from '../../contracts/errors.js';
import { ExecutorPool, TransportError, type CorrectableError, type Executor } from '../../src/exec/index.js';
import { tmp, waitFor } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';

let s: Sshd;
let pool: ExecutorPool;
const retries: CorrectableError[] = [];
beforeAll(async () => {
  s = await startSshd();
  pool = new ExecutorPool({ env: { ...process.env, ...s.env }, onCorrectableError: (e) => retries.push(e) });
});
afterAll(async () => {
  await pool?.closeAll();
  await s?.stop();
});

const targets = () => ({ local: pool.get('local'), ssh: pool.get(s.alias) });
const text = (b: Buffer) => b.toString('utf8');
/** Logins the server accepted so far: each is one SSH connection. */
const logins = () => (readFileSync(s.logPath, 'utf8').match(/Accepted publickey/g) ?? []).length;

describe.each(['local', 'ssh'] as const)('the %s executor', (kind) => {
  let ex: Executor;
  beforeAll(() => {
    ex = targets()[kind];
  });

  it('returns a non-zero exit code and stderr as a result, not as an error', async () => {
    const r = await ex.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ exitCode: 3, signal: null, timedOut: false, truncated: false });
    expect(text(r.stdout)).toBe('out\n');
    expect(text(r.stderr)).toBe('err\n');
    const missing = await ex.run(['gantry-no-such-program']);
    expect(missing.exitCode).toBe(127);
  });

  it('passes an argument full of quotes, $(), ; and newlines through literally', async () => {
    const dir = tmp();
    const marker = join(dir, 'pwned');
    const nasty = `it's "quoted" $(touch ${marker}) \`touch ${marker}\` ; touch ${marker} ;\nsecond line\t\\ $HOME * ?'' ''' end`;
    const r = await ex.run(['printf', '%s', nasty]);
    expect(text(r.stdout)).toBe(nasty);
    expect(existsSync(marker)).toBe(false);
    const withEnv = await ex.run(['sh', '-c', 'printf %s "$NASTY"; pwd'], { env: { NASTY: nasty }, cwd: dir });
    expect(text(withEnv.stdout)).toBe(`${nasty}${dir}\n`);
  });

  it('refuses an argument with a NUL byte instead of truncating it', async () => {
    await expect(ex.run(['printf', 'a\0b'])).rejects.toBeInstanceOf(GantryError);
  });

  it('streams output line by line to callbacks, with stdin fed in', async () => {
    const lines: string[] = [];
    const r = await ex.run(['sh', '-c', 'while read l; do echo "got $l"; done'], { stdin: 'a\nb\nc\n', onStdout: (l) => lines.push(l) });
    expect(r.exitCode).toBe(0);
    expect(lines).toEqual(['got a', 'got b', 'got c']);
    expect(r.stdout.length).toBe(0);
  });

  it('ends a command that outlives its timeout, with every process it started', async () => {
    const marker = String(200_000 + Math.floor(Math.random() * 100_000));
    const started = Date.now();
    const r = await ex.run(['sh', '-c', `sleep ${marker} & sleep ${marker}`], { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitFor(() => spawnSync('pgrep', ['-f', `sleep ${marker}`]).status === 1, 5000, 'the sleeps to end');
  });

  it('cancels a running command through an AbortSignal, ending its process group', async () => {
    const marker = String(200_000 + Math.floor(Math.random() * 100_000));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(ex.run(['sh', '-c', `sleep ${marker} & sleep ${marker}`], { signal: ac.signal })).rejects.toMatchObject({ code: 130 });
    await waitFor(() => spawnSync('pgrep', ['-f', `sleep ${marker}`]).status === 1, 5000, 'the sleeps to end');
  });

  it('uploads and downloads a folder tree with identical checksums', async () => {
    const src = tmp();
    const files: Record<string, Buffer> = {
      'top.bin': randomBytes(5 << 20),
      'a/b/c/deep.txt': Buffer.from('deep\n'),
      "a/it's \"odd\" name.txt": Buffer.from('odd\n'),
      'empty.txt': Buffer.alloc(0),
    };
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(src, name, '..'), { recursive: true });
      writeFileSync(join(src, name), data);
    }
    mkdirSync(join(src, 'empty-dir'));
    const remote = join(tmp(), 'uploaded', kind);
    await ex.upload(src, remote);
    const listed = await ex.run(['sh', '-c', 'cd "$1" && find . -type f | sort | while read -r f; do sha256sum "$f"; done', 'sh', remote]);
    const expected = Object.keys(files)
      .sort()
      .map((name) => `${createHash('sha256').update(files[name]).digest('hex')}  ./${name}`);
    expect(text(listed.stdout).trim().split('\n').sort()).toEqual(expected.sort());

    const back = join(tmp(), 'downloaded');
    await ex.download(remote, back);
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const got = Object.fromEntries(walk(back).map((f) => [relative(back, f), createHash('sha256').update(readFileSync(f)).digest('hex')]));
    expect(got).toEqual(Object.fromEntries(Object.entries(files).map(([n, d]) => [n, createHash('sha256').update(d).digest('hex')])));
    expect(statSync(join(back, 'empty-dir')).isDirectory()).toBe(true);
  });

  it('reports a missing file to download as not found', async () => {
    await expect(ex.download(join(tmp(), 'nope'), join(tmp(), 'x'))).rejects.toMatchObject({ code: 5 });
  });
});

describe('the ssh connection', () => {
  it('streams 100 MB of output with bounded memory', async () => {
    const ex = pool.get(s.alias);
    await ex.run(['true']);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let bytes = 0;
    let lines = 0;
    // 100 MiB of 1 KiB lines, generated on the far side.
    const r = await ex.run(['sh', '-c', 'yes "$(head -c 1023 /dev/zero | tr "\\0" x)" | head -n 102400'], {
      onStdout: (l) => {
        bytes += l.length + 1;
        lines++;
      },
    });
    clearInterval(sampler);
    expect(r.exitCode).toBe(0);
    expect(lines).toBe(102400);
    expect(bytes).toBe(100 << 20);
    expect(peak - before).toBeLessThan(64 << 20);
  });

  it('runs 30 concurrent commands over one connection, at most 8 channels at a time', async () => {
    const ex = pool.get(s.alias);
    await ex.run(['true']);
    const loginsBefore = logins();
    const live = join(tmp(), 'live');
    mkdirSync(live);
    // Each command marks itself live, samples how many are live, and stays a moment.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ex.run(['sh', '-c', 'touch "$1/$2"; ls "$1" | wc -l; sleep 0.3; rm "$1/$2"; echo "done $2"', 'sh', live, String(i)]),
      ),
    );
    const seen = results.map((r) => Number(text(r.stdout).split('\n')[0]));
    results.forEach((r, i) => expect(text(r.stdout).split('\n')[1]).toBe(`done ${i}`));
    expect(Math.max(...seen)).toBeLessThanOrEqual(8);
    expect(Math.max(...seen)).toBeGreaterThan(1);
    expect(logins()).toBe(loginsBefore);
  });

  it('shares one connection between an alias and the same user@host:port', async () => {
    const direct = new ExecutorPool({ env: { ...process.env, ...s.env } });
    try {
      const before = logins();
      await direct.get(s.alias).run(['true']);
      await direct.get(`ssh://${s.user}@${s.alias}`).run(['true']);
      expect(logins()).toBe(before + 1);
    } finally {
      await direct.closeAll();
    }
  });

  it('fails a command whose connection drops with a TransportError, never replays it, and reconnects for the next one', async () => {
    const ex = pool.get(s.alias);
    const dir = tmp();
    await ex.run(['true']);
    retries.length = 0;
    const running = ex.run(['sh', '-c', 'echo ran >> "$1/runs"; sleep 30', 'sh', dir]);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => existsSync(join(dir, 'runs')) && (clearInterval(poll), resolve()), 20);
    });
    expect(s.killSessionChildren()).toBeGreaterThan(0);
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ mayHaveRun: true, connectFailed: false, code: 7 });
    const next = await ex.run(['echo', 'again']);
    expect(text(next.stdout)).toBe('again\n');
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('ran\n');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]).toMatchObject({ attempt: 1, target: `${s.user}@127.0.0.1:${s.port}` });
    expect(retries[0].reason).toContain('connection lost');
  });

  it('gives up on an unreachable host with a TransportError after its retries', async () => {
    const dead = new ExecutorPool({ env: { ...process.env, ...s.env }, connectRetries: 1 });
    try {
      const err = await dead.get(`${s.user}@127.0.0.1:1`).run(['true']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ connectFailed: true, mayHaveRun: false });
    } finally {
      await dead.closeAll();
    }
  });
});
