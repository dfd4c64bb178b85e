import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gantryBackground, REPO_ROOT, tmp, waitFor } from '../support/gantry.js';
import { flowProject, phaseLine, pods, providerClient, readJson, stopPods } from './harness.js';

/**
 * PROVIDER=lium runs the shipped adapter (configs/providers/lium.sh) against a stand-in `lium` CLI on
 * PATH (test/flow/fixtures/lium-cli/lium): the cloud cannot exist here, the pods it rents are real sshds.
 */
function liumProject() {
  const client = providerClient();
  const calls = join(tmp(), 'lium-calls.log');
  const state = tmp();
  const env = {
    ...client.env,
    PATH: `${join(REPO_ROOT, 'test', 'flow', 'fixtures', 'lium-cli')}:${process.env.PATH}`,
    XDG_STATE_HOME: state,
    LIUM_CALLS: calls,
  };
  const rentals = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter(Boolean) : []);
  const kept = () => readdirSync(join(state, 'gantry', 'lium')).filter((f) => f.endsWith('.json'));
  return { client, env, rentals, kept };
}

describe('the lium preset', () => {
  const started: string[] = [];
  afterEach(() => started.splice(0).forEach(stopPods));

  it('rents a pod with `lium up`, runs the whole flow on it, and `lium rm` gives it back', async () => {
    const l = liumProject();
    started.push(l.client.stateDir);
    const p = await flowProject({ PROVIDER: 'lium', LIUM_UP_ARGS: '--gpu H100', SSH_ACCEPT_NEW_HOST_KEY: '1' }, l.env);
    const r = await p.flow(['--yes', '--wait', 'true', '--teardown=delete']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^TARGET=ssh:\/\/\w+@127\.0\.0\.1:\d+\nTARGET_SOURCE=autobind$/m);
    expect(l.rentals()).toEqual(['up --gpu H100']);
    const [pod] = pods(l.client.stateDir);
    expect(pod!.deleted).toBe(true);
    expect(readJson(join(p.runDir(), 'record', 'phases', 'phase.P90.evidence.json'))).toMatchObject({ command_name: 'pod-delete' });
    // The pod is gone, so nothing may answer it again.
    expect(l.kept()).toEqual([]);
  });

  it('kill -9 of gantry while `lium up` is under way, then `gantry flow` again: one pod is rented, not two', async () => {
    const l = liumProject();
    started.push(l.client.stateDir);
    const env = { ...l.env, LIUM_UP_DELAY_MS: '2500' };
    const p = await flowProject({ PROVIDER: 'lium', SSH_ACCEPT_NEW_HOST_KEY: '1' }, env);
    const first = gantryBackground(['flow', '--no-tty', '--yes', '--wait', 'true'], { cwd: p.dir, env });
    await waitFor(() => l.rentals().length === 1, 30_000, '`lium up` to start');
    first.kill('SIGKILL');
    expect((await first).signal).toBe('SIGKILL');

    // The resumed flow's provision waits for the one under way and answers its pod.
    const second = await p.flow(['--yes', '--wait', 'true']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('ATTEMPT=2');
    expect(phaseLine(second.stdout, 'P20')).toMatch(/STATUS=ok CODE=0/);
    expect(l.rentals()).toHaveLength(1);
    expect(pods(l.client.stateDir)).toHaveLength(1);
    expect(readFileSync(p.counter, 'utf8').split('\n').filter(Boolean)).toEqual(['r1', 'r2', 'r3']);
  });
});
