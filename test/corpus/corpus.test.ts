import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gantry, tempProject, tmp, writeVisualEssayOutputs } from '../support/gantry.js';
import type { BadInput } from './case.js';
import { cliArgCases } from './cases/cli-args.js';
import { sweepCsvCases, workflowEnvCases } from './cases/flow-inputs.js';
import { gateContractCases, gatePathCases } from './cases/gate-contract.js';
import { gatesTomlCases } from './cases/gates-toml.js';
import { workItemCases } from './cases/work-item.js';
import { workflowYamlCases } from './cases/workflow-yaml.js';

const ALL: BadInput[] = [...workflowYamlCases, ...gateContractCases, ...gatePathCases, ...cliArgCases, ...workItemCases, ...gatesTomlCases, ...workflowEnvCases, ...sweepCsvCases];

/** Every file under runs/ with its hash: what "no change to existing records" compares (new runs may appear). */
function snapshot(runs: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(runs)) return out;
  for (const f of readdirSync(runs, { recursive: true, encoding: 'utf8' })) {
    const p = join(runs, f);
    try {
      out[f] = createHash('sha256').update(readFileSync(p)).digest('hex');
    } catch {
      out[f] = 'dir';
    }
  }
  return out;
}

let template = '';
let openRun = '';
let doneRun = '';

beforeAll(async () => {
  const p = await tempProject();
  template = p.dir;
  openRun = (await gantry(['run', 'start', '--workflow', 'visual-essay', '--slug', 'open', '--artifact-path', 'a'], { cwd: p.dir })).stdout.trim();
  await gantry(['gate', 'start', '--run', openRun, '--gate', 'G1', '--agent', 'corpus'], { cwd: p.dir });
  writeVisualEssayOutputs(p.dir, 'done');
  const r = await gantry(['run', 'visual-essay', '--slug', 'done', '--artifact-path', 'done', '--yes', '--json'], { cwd: p.dir });
  doneRun = JSON.parse(r.stdout.split('\n')[0]!).run_id;
});

describe(`bad-input corpus (${ALL.length} malformed inputs)`, () => {
  it('has at least the 200 inputs the proof asks for, each named once per category', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(200);
    expect(new Set(ALL.map((c) => `${c.category}/${c.name}`)).size).toBe(ALL.length);
  });

  it.concurrent.each(ALL.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', async (_label, c) => {
    const dir = tmp();
    cpSync(template, dir, { recursive: true });
    for (const [rel, content] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    const runs = join(dir, 'gantry', 'runs');
    const before = snapshot(runs);
    const args = c.args.map((a) => a.replace('{RUN}', openRun).replace('{DONE}', doneRun));
    const r = await gantry(args, { cwd: dir, env: c.env });
    expect(r.code, `stderr: ${r.stderr}\nstdout: ${r.stdout}`).toBe(c.code);
    const err = c.code === 1 && c.category !== 'CLI arguments' ? r.stdout + r.stderr : r.stderr;
    expect(err).toMatch(c.message);
    expect(err).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m);
    expect(err).not.toContain('internal error');
    if (c.code !== 1) expect(r.stderr.match(/^gantry: /gm)).toHaveLength(1);
    const after = snapshot(runs);
    for (const [f, h] of Object.entries(before)) expect(after[f], `${f} changed`).toBe(h);
  });
});
