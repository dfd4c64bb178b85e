import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../support/sshd.js';
import { gantry, waitFor } from '../support/gantry.js';
import { gantryBackground } from '../support/gantry.js';
import { courtLine, flowProject, phaseLine, readJson } from './harness.js';

/** Each failure family triggered for real, over SSH to a real sshd (an explicit target). */
describe('gantry flow failure families and the court', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  const project = (extra: Record<string, string> = {}) => flowProject({ LIUM_TARGET: sshd.alias, ...extra }, sshd.env);

  it('1xx: a bad config names file, line and key of every problem, and nothing remote happens', async () => {
    const p = await project();
    writeFileSync(join(p.ws, 'workflow.env'), `${readFileSync(join(p.ws, 'workflow.env'), 'utf8')}SWEEP_PARALLEL=lots\nthis is not a setting\nWF_DEFAULT_TEARDOWN=burn\n`);
    const r = await p.flow([]);
    expect(r.code).toBe(3);
    expect(phaseLine(r.stdout, 'P00')).toBe('PHASE=P00 STATUS=fail CODE=101 ARTIFACT=-');
    const env = join(p.ws, 'workflow.env');
    const lines = readFileSync(env, 'utf8').split('\n');
    const at = (s: string) => lines.findIndex((l) => l.startsWith(s)) + 1;
    expect(r.stdout).toContain(`${env}:${at('SWEEP_PARALLEL')}: SWEEP_PARALLEL: must be a positive whole number`);
    expect(r.stdout).toContain(`${env}:${at('this is not')}: line is not of the form NAME=value`);
    expect(r.stdout).toContain(`${env}:${at('WF_DEFAULT_TEARDOWN')}: WF_DEFAULT_TEARDOWN: must be keep or delete`);
    expect(courtLine(r.stdout, 'P00')).toMatch(/COURT=fail DET=fail CONST=fail/);
    expect(existsSync(p.outputs)).toBe(false);
  });

  it('2xx: an unreachable target fails P30 with 204 and exit code 7', async () => {
    const p = await project({ LIUM_TARGET: 'ssh://127.0.0.1:1' });
    const r = await p.flow([]);
    expect(r.code).toBe(7);
    expect(phaseLine(r.stdout, 'P20')).toMatch(/STATUS=ok/);
    expect(phaseLine(r.stdout, 'P30')).toBe('PHASE=P30 STATUS=fail CODE=204 ARTIFACT=-');
    expect(r.stdout).toMatch(/error \(fatal\) in P30: target ssh:\/\/127\.0\.0\.1:1 is not reachable/);
    expect(readJson(join(p.runDir(), 'record', 'flow.summary.json'))).toMatchObject({ status: 'failed', first_failing_phase: 'P30', first_failing_code: 204 });
    expect(phaseLine(r.stdout, 'P40')).toBeUndefined();
  });

  it('3xx: a failing BOOTSTRAP_SCRIPT fails P40 with 301 and leaves the FSM at POD_READY', async () => {
    const p = await project({ BOOTSTRAP_SCRIPT: 'bootstrap.sh' });
    writeFileSync(join(p.dir, 'bootstrap.sh'), 'echo "installing helpers into $OPS_REMOTE_REPO"\necho "no space left" >&2\nexit 5\n');
    const r = await p.flow([]);
    expect(r.code).toBe(1);
    expect(phaseLine(r.stdout, 'P40')).toBe('PHASE=P40 STATUS=fail CODE=301 ARTIFACT=-');
    expect(r.stdout).toContain('BOOTSTRAP_SCRIPT bootstrap.sh exited 5');
    expect(readFileSync(join(p.runDir(), 'logs', 'steps', 'P40.log'), 'utf8')).toContain('no space left');
    expect(readJson(join(p.outputs, '_control', 'workflow_state.json')).state).toBe('POD_READY');
  });

  it('4xx: a failing sweep row is isolated while the others complete; 5xx: fetching a missing run fails', async () => {
    const p = await project();
    writeFileSync(join(p.dir, 'sweep.csv'), readFileSync(join(p.dir, 'sweep.csv'), 'utf8').replace('"lr=0.03,steps=2,step_secs=0.1"', '"lr=0.03,steps=2,step_secs=0.1,fail=1"'));
    const r = await p.flow(['--wait', 'true']);
    expect(r.code).toBe(1);
    expect(phaseLine(r.stdout, 'P70')).toBe('PHASE=P70 STATUS=fail CODE=403 ARTIFACT=-');
    expect(r.stdout).toContain('[P70] row r2 failed: exit 3');
    expect(r.stdout).toContain('error (uncorrected) in P70: row r2 isolated: exit 3');
    expect(r.stdout).toContain('--sweep resume');
    for (const ok of ['r1', 'r3']) expect(readJson(join(p.outputs, ok, 'summary.json')).ok).toBe(true);
    expect(existsSync(join(p.outputs, 'r2', 'summary.json'))).toBe(false);
    expect(readJson(join(p.runDir(), 'record', 'flow.summary.json'))).toMatchObject({ first_failing_phase: 'P70', first_failing_code: 403, sweep: { failed: ['r2'], done: 2 } });
    expect(readJson(join(p.runDir(), 'record', 'RUN.json')).errors.uncorrected).toBe(2); // the isolated row, and the phase that reported it

    // `sweep status`: one remote command, every row.
    const st = await gantry(['sweep', 'status', '--json'], { cwd: p.dir, env: sshd.env });
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout).rows.map((x: { run_id: string; state: string }) => `${x.run_id}:${x.state}`)).toEqual(['r1:done', 'r2:failed', 'r3:done']);

    // A new flow: --sweep resume re-runs only the failed row (fixed), then fetching a run that does not exist fails with 501.
    writeFileSync(join(p.dir, 'sweep.csv'), readFileSync(join(p.dir, 'sweep.csv'), 'utf8').replace(',fail=1', ''));
    const again = await p.flow(['--sweep', 'resume', '--wait', 'true', '--fetch', 'run:r9']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('[P60] row r1 skipped');
    expect(phaseLine(again.stdout, 'P70')).toMatch(/STATUS=ok CODE=0/);
    expect(phaseLine(again.stdout, 'P80')).toBe('PHASE=P80 STATUS=fail CODE=501 ARTIFACT=-');
    expect(again.stdout).toContain('run r9 has no outputs on');
    expect(readFileSync(p.counter, 'utf8').split('\n').filter(Boolean)).toEqual(['r1', 'r2', 'r3', 'r2']);
  });

  it('LAW_1: editing workflow.env mid-flow halts the flow at the next court (code 103)', async () => {
    const p = await project();
    writeFileSync(join(p.dir, 'sweep.csv'), readFileSync(join(p.dir, 'sweep.csv'), 'utf8').replace(/steps=2,step_secs=0.1/g, 'steps=4,step_secs=0.5'));
    const child = gantryBackground(['flow', '--no-tty', '--wait', 'true'], { cwd: p.dir, env: sshd.env });
    await waitFor(() => existsSync(p.counter), 30_000, 'the sweep to start');
    writeFileSync(join(p.ws, 'workflow.env'), `${readFileSync(join(p.ws, 'workflow.env'), 'utf8')}# edited while the flow runs\n`);
    const r = await child;
    expect(r.exitCode).toBe(1);
    // The first court after the edit (P60's or P70's, depending on when the edit landed) halts the flow.
    const halted = /FIRST_FAILING_PHASE=(P60|P70) CODE=103/.exec(r.stdout)?.[1];
    expect(halted).toBeDefined();
    expect(phaseLine(r.stdout, halted!)).toMatch(/STATUS=ok CODE=0/);
    expect(courtLine(r.stdout, halted!)).toMatch(/COURT=fail DET=fail CONST=fail/);
    const verdict = readJson(join(p.runDir(), 'record', 'phases', `phase.${halted}.verdict.json`));
    expect(verdict.violated_laws).toContain('LAW_1_CANONICAL_CONFIG');
    expect(verdict.next_command).toContain('restore');
    expect(phaseLine(r.stdout, 'P80')).toBeUndefined();
  });

  it('an external auditor that times out makes the court unverified and halts (exit 8)', async () => {
    const p = await project({ WF_SUBAGENT_VALIDATOR_CMD: `sh -c "sleep 30" auditor`, WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS: '1' });
    const r = await p.flow([]);
    expect(r.code).toBe(8);
    expect(courtLine(r.stdout, 'P00')).toMatch(/^PHASE=P00 COURT=fail DET=pass CONST=unverified VERDICT=/);
    expect(r.stdout).toContain('FIRST_FAILING_PHASE=P00 CODE=105');
    const c = readJson(join(p.runDir(), 'record', 'phases', 'phase.P00.constitutional.json'));
    expect(c).toMatchObject({ status: 'unverified', pass: false, violated_laws: ['LAW_9_PHASE_END_CONSTITUTIONAL_VALIDATION'] });
    expect(c.violations[0]).toContain('timed out after 1s');
    expect(phaseLine(r.stdout, 'P10')).toBeUndefined();
  });

  it('an external auditor that passes the evidence lets the flow go on', async () => {
    const p = await project();
    const auditor = join(p.dir, 'auditor.mjs');
    writeFileSync(
      auditor,
      `const a = process.argv; const get = (k) => a[a.indexOf(k) + 1];
import { readFileSync, writeFileSync } from 'node:fs';
const ev = JSON.parse(readFileSync(get('--evidence'), 'utf8'));
const pass = ev.command_rc === 0 && ev.intent_mode === 'mandated_contract_or_die';
writeFileSync(get('--output'), JSON.stringify({ phase: get('--phase'), status: pass ? 'pass' : 'fail', pass, violations: [], violated_laws: [], checked_at: new Date().toISOString(), engine: 'test-auditor', remediation: null }));
`,
    );
    p.configure({ WF_SUBAGENT_VALIDATOR_CMD: `node ${auditor}` });
    const r = await p.flow(['--sweep', 'skip']);
    expect(r.code).toBe(0);
    expect(readJson(join(p.runDir(), 'record', 'phases', 'phase.P50.constitutional.json')).engine).toBe('test-auditor');
    expect(phaseLine(r.stdout, 'P60')).toMatch(/STATUS=skip/);
  });
});
