import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gantry, tmp } from '../support/gantry.js';
import { courtLine, flowProject, PHASES, phaseLine, readJson } from './harness.js';

/** The flow on the `local` target: policy, manifest, FSM and checklist behaviour, and the demo. */
describe('gantry flow on the local target', () => {
  const local = (extra: Record<string, string> = {}) => flowProject({ LIUM_TARGET: 'local', ...extra });

  it('`gantry demo` runs the whole lifecycle headless in under a minute and prints the header and phase lines', async () => {
    const dir = join(tmp(), 'demo');
    const t0 = Date.now();
    const r = await gantry(['demo', '--no-tty', '--dir', dir], { cwd: tmp() });
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('== gantry flow: constitutional header ==');
    expect(lines).toContain('TARGET=local');
    for (const ph of PHASES) expect(courtLine(r.stdout, ph)).toMatch(/COURT=pass DET=pass CONST=pass/);
    expect(r.stdout).toMatch(/\[P70\] lr-large \| step 5\/5 loss=\d\.\d{4}/);
    expect(r.stdout).toContain('STATUS=passed');
    for (const id of ['lr-small', 'lr-medium', 'lr-large']) expect(readJson(join(dir, 'artifacts', id, 'summary.json')).ok).toBe(true);
    expect(readFileSync(join(dir, 'flow-checklist.md'), 'utf8')).toContain('- [x] P99 SUMMARY');
  });

  it('refuses a WORKFLOW_CONFIG override unless the canonical config allows it (LAW_1)', async () => {
    const p = await local();
    const other = join(p.dir, 'other.env');
    writeFileSync(other, readFileSync(join(p.ws, 'workflow.env'), 'utf8'));
    const refused = await p.flow(['--sweep', 'skip'], { WORKFLOW_CONFIG: other });
    expect(refused.code).toBe(4);
    expect(phaseLine(refused.stdout, 'P00')).toBe('PHASE=P00 STATUS=fail CODE=102 ARTIFACT=-');
    expect(refused.stdout).toContain('does not set WF_ALLOW_OVERRIDE=1');

    p.configure({ WF_ALLOW_OVERRIDE: '1' });
    const allowed = await p.flow(['--sweep', 'skip'], { WORKFLOW_CONFIG: other });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(`ACTIVE_CONFIG=${other}`);
    expect(allowed.stdout).toContain('WF_ALLOW_OVERRIDE_ACTIVE=1');
  });

  it('refuses --teardown delete in non-TTY mode without consent, before anything runs (LAW_4, LAW_7)', async () => {
    const p = await local();
    const r = await p.flow(['--teardown', 'delete'], { LIUM_YES: '' });
    expect(r.code).toBe(4);
    expect(phaseLine(r.stdout, 'P00')).toBe('PHASE=P00 STATUS=fail CODE=104 ARTIFACT=-');
    expect(r.stdout).toContain('deleting the pod needs consent');
    expect(existsSync(p.outputs)).toBe(false);
  });

  it('a malformed sweep manifest fails P00 with 107, naming the line', async () => {
    const p = await local();
    writeFileSync(join(p.dir, 'sweep.csv'), 'run_id,config,seed,overrides,notes\nok1,a,1,,\nbad/id,a,x,,\n');
    const r = await p.flow([]);
    expect(r.code).toBe(3);
    expect(phaseLine(r.stdout, 'P00')).toBe('PHASE=P00 STATUS=fail CODE=107 ARTIFACT=-');
    expect(r.stdout).toContain(`${join(p.dir, 'sweep.csv')}:3: run_id:`);
    expect(r.stdout).toContain(`${join(p.dir, 'sweep.csv')}:3: seed: must be a whole number`);
    expect(existsSync(p.outputs)).toBe(false);
  });

  it('an illegal FSM transition fails with the current and the allowed states; `fsm status|reset` show and set it', async () => {
    const p = await local();
    const reset = await gantry(['fsm', 'reset', 'SWEEP_RUNNING'], { cwd: p.dir });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe('FSM_STATE=SWEEP_RUNNING (was INIT) on local');
    const r = await p.flow([]);
    expect(r.code).toBe(1);
    expect(phaseLine(r.stdout, 'P50')).toBe('PHASE=P50 STATUS=fail CODE=302 ARTIFACT=-');
    expect(r.stdout).toContain('illegal FSM transition SWEEP_RUNNING -> CHECKED_OUT: the target is in SWEEP_RUNNING; allowed next: SWEEP_COMPLETED');
    const det = readJson(join(p.runDir(), 'record', 'phases', 'phase.P50.deterministic.json'));
    expect(det.checks.find((c: { check: string }) => c.check === 'fsm_transition')).toMatchObject({ pass: false, detail: 'SWEEP_RUNNING -> CHECKED_OUT: illegal' });
    const status = await gantry(['fsm', 'status', '--json'], { cwd: p.dir });
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'SWEEP_RUNNING', allowed_next: ['SWEEP_COMPLETED'] });
  });

  it('ticks the checklist phase by phase, keeps it as .last and resets it at flow end; teardown delete never deletes an explicit target', async () => {
    const p = await local({ WF_CHECKLIST_PATH: 'checklist.md', WF_CHECKLIST_RESET_ON_END: '1' });
    const r = await p.flow(['--sweep', 'skip', '--teardown', 'delete', '--yes']);
    expect(r.code).toBe(1);
    expect(phaseLine(r.stdout, 'P90')).toBe('PHASE=P90 STATUS=fail CODE=502 ARTIFACT=-');
    expect(r.stdout).toContain('gantry deletes only pods it provisioned');
    const last = readFileSync(join(p.dir, 'checklist.md.last'), 'utf8');
    expect(last).toContain('- [x] P80 FETCH');
    expect(last).toContain('- [ ] P90 TEARDOWN');
    expect(last).toMatch(/## Events\n(- \S+ .*\n)+/);
    expect(last).toContain('P90 STATUS=fail CODE=502 COURT=fail');
    const current = readFileSync(join(p.dir, 'checklist.md'), 'utf8');
    expect(current).not.toContain('[x]');
    const status = await gantry(['checklist', 'status'], { cwd: p.dir });
    expect(status.stdout.split('\n')[0]).toBe(`checklist ${join(p.dir, 'checklist.md')}: 0/11 phases ticked`);
  });

  it('runs rows in parallel slots with their own CUDA_VISIBLE_DEVICES, and a row over RUN_TIMEOUT_SECS fails as timed out', async () => {
    const p = await local();
    p.configure({
      LIUM_TARGET: 'local',
      SWEEP_PARALLEL: '2',
      SWEEP_GPU_SLOTS: '3,5',
      RUN_TIMEOUT_SECS: '2',
      SWEEP_CMD_TEMPLATE: `echo {run_id}=$CUDA_VISIBLE_DEVICES >> ${p.counter} && sh train.sh --run-id {run_id} --overrides {overrides} --out {run_dir}`,
    });
    writeFileSync(join(p.dir, 'sweep.csv'), 'run_id,config,seed,overrides,notes\nr1,c,1,"steps=1,step_secs=0",\nr2,c,2,"steps=1,step_secs=0",\nslow,c,3,"steps=2,step_secs=3",\n');
    const r = await p.flow(['--wait', 'true']);
    expect(r.stderr).toContain('flow failed');
    expect(r.code).toBe(1);
    expect(readFileSync(p.counter, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['r1=3', 'r2=5', 'slow=3']);
    expect(r.stdout).toContain('[P70] row slow failed: timed out (RUN_TIMEOUT_SECS)');
    expect(phaseLine(r.stdout, 'P70')).toBe('PHASE=P70 STATUS=fail CODE=403 ARTIFACT=-');
    const plan = readJson(join(p.outputs, '_control', 'sweep.json'));
    expect(plan.rows.map((x: { slot: number }) => x.slot)).toEqual([0, 1, 0]);
    // The third row waited for its slot as a held task, started only once the first row had ended.
    const task = (i: number) => readJson(join(p.outputs, '_tasks', plan.rows[i].task_id, 'status.json'));
    expect(task(2).after).toBe(plan.rows[0].task_id);
    expect(Date.parse(task(2).started_at)).toBeGreaterThanOrEqual(Date.parse(task(0).ended_at));
  });

  it('`sweep template` prints a manifest the flow accepts', async () => {
    const p = await local();
    const t = await gantry(['sweep', 'template'], { cwd: p.dir });
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n')[0]).toBe('run_id,config,seed,overrides,notes');
    writeFileSync(join(p.dir, 'sweep.csv'), t.stdout.replace(/epochs=3/g, 'steps=1,step_secs=0'));
    const r = await p.flow(['--wait', 'true']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[P70] row lr-large success');
  });
});
