import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateContract } from '../../contracts/gate-contract.js';
import { finishGate, startGate } from '../../src/engine/gate-ops.js';
import { createRun } from '../../src/records/run-store.js';
import { countSources } from '../../src/validators/citations.js';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'gantry-val-'));
  const runs = join(root, 'gantry', 'runs');
  mkdirSync(join(root, 'art'), { recursive: true });
  const w = createRun(runs, {
    workflow: { name: 'checks', version: 't', slug: 's', artifact_path: 'art' },
    depth: 'standard',
    steps: [{ id: 'G1', name: 'Checks', kind: 'gate' }],
    params: {},
  });
  return { root, w };
}

async function judge(files: Record<string, string>, validations: GateContract['validations']) {
  const { root, w } = project();
  for (const [p, t] of Object.entries(files)) writeFileSync(join(root, 'art', p), t);
  startGate(w, 'G1', 'test');
  const a = await finishGate(w, 'G1', { gate: 'G1', name: 'Checks', required_outputs: [], validations }, root);
  const onDisk = JSON.parse(readFileSync(join(w.paths.gates, 'G1', 'attempt-1.json'), 'utf8'));
  w.close();
  expect(onDisk.validations).toEqual(a.validations);
  return a;
}

describe('contract validations, each passing and failing', () => {
  it('file_exists', async () => {
    expect((await judge({ 'a.md': 'x' }, [{ type: 'file_exists', path: '{artifact_path}/a.md' }])).status).toBe('PASS');
    const f = await judge({}, [{ type: 'file_exists', path: '{artifact_path}/a.md' }]);
    expect(f.status).toBe('FAIL');
    expect(f.failure_reason).toContain('file does not exist');
  });

  it('min_sources counts cited list items', async () => {
    const cites = '- a https://a.org\n- b https://b.org\n* c doi:10.1000/xyz\n1. d https://d.org/x\n';
    expect((await judge({ 'c.md': cites }, [{ type: 'min_sources', path: '{artifact_path}/c.md', min: 4 }])).status).toBe('PASS');
    const f = await judge({ 'c.md': cites }, [{ type: 'min_sources', path: '{artifact_path}/c.md', min: 5 }]);
    expect(f.status).toBe('FAIL');
    expect(f.validations[0]!.detail).toBe('4 source(s), need 5');
  });

  it('contains_headings', async () => {
    const doc = '# Topic\n## Audience\n';
    expect((await judge({ 'b.md': doc }, [{ type: 'contains_headings', path: '{artifact_path}/b.md', headings: ['Topic', 'Audience'] }])).status).toBe('PASS');
    const f = await judge({ 'b.md': doc }, [{ type: 'contains_headings', path: '{artifact_path}/b.md', headings: ['Topic', 'Angle'] }]);
    expect(f.status).toBe('FAIL');
    expect(f.validations[0]!.detail).toBe('missing heading(s): Angle');
  });

  it('not_contains with severity fail and warn', async () => {
    const doc = 'line one\nTODO: finish\n';
    const fail = await judge({ 'd.md': doc }, [{ type: 'not_contains', path: '{artifact_path}/d.md', pattern: 'TODO', regex: false, severity: 'fail' }]);
    expect(fail.status).toBe('FAIL');
    expect(fail.validations[0]!.detail).toBe('"TODO" found at line 2');
    const warn = await judge({ 'd.md': doc }, [{ type: 'not_contains', path: '{artifact_path}/d.md', pattern: 'TO+DO', regex: true, severity: 'warn' }]);
    expect(warn.status).toBe('PASS');
    expect(warn.validations[0]).toMatchObject({ pass: false, severity: 'warn' });
    expect((await judge({ 'd.md': 'clean' }, [{ type: 'not_contains', path: '{artifact_path}/d.md', pattern: 'TODO', regex: false, severity: 'fail' }])).status).toBe('PASS');
  });

  it('json_valid', async () => {
    expect((await judge({ 'j.json': '{"a":1}' }, [{ type: 'json_valid', path: '{artifact_path}/j.json' }])).status).toBe('PASS');
    const f = await judge({ 'j.json': '{"a":' }, [{ type: 'json_valid', path: '{artifact_path}/j.json' }]);
    expect(f.status).toBe('FAIL');
    expect(f.validations[0]!.detail).toMatch(/^invalid JSON/);
  });

  it('counts the same source once and ignores code fences', () => {
    expect(countSources('- https://a.org\n- again https://a.org\n```\n- https://b.org\n```\n[1]: https://c.org\nplain https://d.org\n')).toBe(2);
  });
});
