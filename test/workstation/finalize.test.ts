import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditFolders, OFFICIAL, readJson, workstationProject, type Project } from './fixture.js';

async function officialRun(p: Project, tag: string, ...args: string[]): Promise<string> {
  const r = await p.cli([...OFFICIAL(tag, '--dq-input-csv', 'data/good.csv'), '--', ...args]);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return auditFolders(p.ws).find((d) => d.endsWith(`_${tag}`))!;
}

const registryRows = (p: Project) =>
  readFileSync(join(p.ws, 'audit/registry.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('gantry finalize', () => {
  it('passes on a complete folder, each step a recorded gate, and updates the registry and the queue idempotently', { timeout: 180_000 }, async () => {
    const p = await workstationProject();
    const dir = await officialRun(p, 'good_run', '--sharpe', '1.4');
    const r = await p.cli(['finalize', '--tag', 'good_run', '--require-final-summary']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\[G1\] PASS[\s\S]*\[G2\] PASS[\s\S]*\[G3\] PASS[\s\S]*\[G4\] PASS[\s\S]*\[G5\] PASS/);
    expect(r.stdout).toContain('finalize good_run: PASSED');

    const check = readJson(join(dir, 'governance_audit_check.json'));
    expect(check).toMatchObject({ ok: true, tag: 'good_run', require_final_summary: true, failed: [] });
    expect(check.checks.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['preflight.json', 'context.json', 'command.sh', 'run.log', 'result.json', 'data_quality_command.sh', 'data_quality.log', 'result_ok', 'report', 'final_summary']),
    );
    expect(readJson(join(dir, 'governance_remediation_plan.json'))).toMatchObject({ ok: true, items: [] });
    const review = readFileSync(join(dir, 'run_review.md'), 'utf8');
    for (const h of ['## What ran', '## Inputs', '## Gates', '## Results', '## Timings', '## Hashes (SHA-256)']) expect(review).toContain(h);
    expect(review).toMatch(/`run.log` [0-9a-f]{64}/);
    expect(review).toContain('- sharpe (`summary.sharpe`): 1.4');

    const rows = registryRows(p);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tag: 'good_run', workflow: 'production_gates', owner: 'hui', status: 'success', metrics: { sharpe: 1.4, max_drawdown: -0.1 } });
    const queue = readJson(join(p.ws, 'audit/candidate_queue.json'));
    expect(queue.candidates).toMatchObject([{ rank: 1, tag: 'good_run', value: 1.4 }]);

    const runs = JSON.parse((await p.cli(['run', 'list', '--json'])).stdout);
    const fin = runs.find((x: { workflow: string }) => x.workflow === 'finalize');
    const shown = JSON.parse((await p.cli(['run', 'show', '--run', fin.run_id, '--json'])).stdout);
    expect(shown.gates.map((g: { gate: string; status: string }) => `${g.gate}:${g.status}`)).toEqual(['G1:PASS', 'G2:PASS', 'G3:PASS', 'G4:PASS', 'G5:PASS']);
    expect(shown.artifacts_index.find((a: { path: string }) => a.path.endsWith('registry.jsonl')).sha256).toMatch(/^[0-9a-f]{64}$/);

    // Re-running changes nothing in the ledger or the queue.
    const queueText = readFileSync(join(p.ws, 'audit/candidate_queue.json'), 'utf8');
    const again = await p.cli(['finalize', '--tag', 'good_run', '--require-final-summary']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('registry: unchanged');
    expect(registryRows(p)).toHaveLength(1);
    expect(readFileSync(join(p.ws, 'audit/candidate_queue.json'), 'utf8')).toBe(queueText);

    // A second run is ranked above the first by the configured metric.
    await officialRun(p, 'better_run', '--sharpe', '2.5');
    expect((await p.cli(['finalize', '--tag', 'better_run'])).code).toBe(0);
    expect(readJson(join(p.ws, 'audit/candidate_queue.json')).candidates.map((c: { tag: string }) => c.tag)).toEqual(['better_run', 'good_run']);
    expect(registryRows(p)).toHaveLength(2);
  });

  it('fails on a folder with a missing file, with a remediation naming it, and keeps the run out of the registry', async () => {
    const p = await workstationProject();
    const dir = await officialRun(p, 'broken');
    rmSync(join(dir, 'run.log'));
    const r = await p.cli(['finalize', '--tag', 'broken']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[G1\] FAIL[\s\S]*\[G2\] FAIL/);
    expect(r.stdout).not.toContain('[G3]');
    expect(r.stdout).toMatch(/1\. run\.log: run\.log is missing\n\s+fix: gantry official-run --workflow production_gates --tag broken_rerun --owner hui --dq-input-csv data\/good\.csv --/);
    const plan = readJson(join(dir, 'governance_remediation_plan.json'));
    expect(plan.ok).toBe(false);
    expect(plan.items).toEqual([expect.objectContaining({ check: 'run.log', problem: 'run.log is missing', file: join(dir, 'run.log') })]);
    const md = readFileSync(join(dir, 'governance_remediation_plan.md'), 'utf8');
    expect(md).toContain('## 1. run.log');
    expect(md).toContain('gantry official-run --workflow production_gates --tag broken_rerun');
    expect(existsSync(join(p.ws, 'audit/registry.jsonl'))).toBe(false);
  });
});

describe('the standalone commands work alone on any audit folder', () => {
  it('audit check, audit remediate, review, registry update and queue refresh', { timeout: 180_000 }, async () => {
    const p = await workstationProject();
    const dir = await officialRun(p, 'solo', '--sharpe', '0.9');
    const report = readJson(join(dir, 'result.json')).reports[0] as string;

    const check = await p.cli(['audit', 'check', '--run-dir', dir, '--report-json', report, '--require-final-summary']);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain('governance audit check passed');
    const rem = await p.cli(['audit', 'remediate', '--audit-json', join(dir, 'governance_audit_check.json')]);
    expect(rem.code).toBe(0);
    expect(rem.stdout).toContain('nothing to fix');
    const review = await p.cli(['review', '--run-dir', dir, '--report-json', report]);
    expect(review.code).toBe(0);
    expect(existsSync(join(dir, 'run_review.md'))).toBe(true);

    const upd = await p.cli(['registry', 'update', '--report-json', report, '--run-dir', dir]);
    expect(upd.code, upd.stderr).toBe(0);
    expect(upd.stdout).toContain('appended: solo');
    const again = await p.cli(['registry', 'update', '--report-json', report, '--run-dir', dir]);
    expect(again.stdout).toContain('unchanged');
    expect(registryRows(p)).toHaveLength(1);

    const q = await p.cli(['queue', 'refresh']);
    expect(q.code).toBe(0);
    expect(q.stdout).toMatch(/1\. solo {2}sharpe=0\.9/);
    expect((await p.cli(['queue', 'refresh'])).stdout).toContain('candidate queue (unchanged)');

    // A report without a final summary fails the check when it is required.
    const bare = join(p.dir, 'bare_report.json');
    writeFileSync(bare, '{"summary": {"sharpe": 1}}');
    const noSummary = await p.cli(['audit', 'check', '--run-dir', dir, '--report-json', bare, '--require-final-summary']);
    expect(noSummary.code).toBe(1);
    expect(noSummary.stdout).toMatch(/FAIL\s+final_summary\s+report has no final_summary/);
    const plan = await p.cli(['audit', 'remediate', '--audit-json', join(dir, 'governance_audit_check.json')]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('1. final_summary: report has no final_summary');
  });
});
