import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tmp, writeFile } from '../support/gantry.js';
import { cli, contractYaml } from './support.js';

const EXAMPLE = join(REPO_ROOT, 'configs', 'work-item.example.yml');
const SHIPPED_REGISTRY = join(REPO_ROOT, 'configs', 'gates.toml');

/** A folder outside any workspace: commands fall back to the shipped gate registry. */
const bare = () => tmp();

function writeContract(text: string): string {
  const file = join(tmp(), 'contract.yml');
  writeFile(file, text);
  return file;
}

describe('workitem check', () => {
  it("passes the seed's own contract against the shipped registry", async () => {
    const r = await cli(bare(), 'workitem', 'check', EXAMPLE);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `ok ${EXAMPLE}: issue 03a (attention), 3 required gates known to ${SHIPPED_REGISTRY}, scope 2 allow / 1 deny, public-safe`,
    );
    const json = JSON.parse((await cli(bare(), 'workitem', 'check', EXAMPLE, '--json')).stdout);
    expect(json).toMatchObject({ ok: true, issue: '03a', slug: 'attention', problems: [] });
  });

  it('accepts any name for the identity block and keeps ids as written', async () => {
    const file = writeContract(contractYaml({ issue: '07', dependsOn: ['01'], required: ['cpu:import'] }).replace('nmoe:', 'myproj:'));
    const r = await cli(bare(), 'workitem', 'check', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('issue 07 (attention)');
  });

  // Each malformed contract: the exact line and key path in the message.
  const valid = contractYaml({ required: ['cpu:import'] });
  const cases: { name: string; text: string; expected: string[] }[] = [
    {
      name: 'two identity blocks',
      text: valid + 'other:\n  issue: 4\n  slug: x\n  kind: docs\n  risk: cold\n  complexity: S\n',
      expected: [':15: other: exactly one identity block expected besides scope, contract, gates; found nmoe, other'],
    },
    {
      name: 'no identity block',
      text: 'scope:\n  allow: [a/**]\ngates:\n  required: []\n',
      expected: [':1: (top level): no identity block'],
    },
    {
      name: 'a value outside its enum',
      text: valid.replace('risk: hot', 'risk: scorching'),
      expected: [':5: nmoe.risk: Invalid option: expected one of "hot"|"warm"|"cold"'],
    },
    {
      name: 'a missing identity field',
      text: valid.replace('  complexity: M\n', ''),
      expected: [':2: nmoe.complexity: Invalid option'],
    },
    {
      name: 'an unbalanced glob',
      text: valid.replace('nmoe/model.py', 'nmoe/[model.py'),
      expected: [':10: scope.allow.1: "nmoe/[model.py" is not a valid glob: Missing closing: "]"'],
    },
    {
      name: 'absolute and climbing globs',
      text: valid.replace('deny: ["nmoe/csrc/**"]', 'deny: ["/etc/**", "../other/**"]'),
      expected: [
        ':11: scope.deny.0: "/etc/**" is absolute; globs are relative to the repository root',
        ':11: scope.deny.1: "../other/**" climbs out with ".."',
      ],
    },
    {
      name: 'an empty allow list',
      text: valid.replace('allow: ["nmoe/attention/**", "nmoe/model.py"]', 'allow: []'),
      expected: [':10: scope.allow: Too small: expected array to have >=1 items'],
    },
    {
      name: 'an unknown key in a block',
      text: valid.replace('gates:\n', 'gates:\n  optional: [x]\n'),
      expected: [':13: gates: Unrecognized key: "optional"'],
    },
    {
      name: 'a perf budget that is not a number',
      text: contractYaml({ required: ['cpu:import'], perf: 'gate: perf:baseline_delta\nmetric: tps\nbaseline_ref: origin/master\nbudget_pct: ten' }),
      expected: [':18: gates.perf.budget_pct: Invalid input: expected number, received string'],
    },
    {
      name: 'broken YAML',
      text: valid.replace('  allow: [', '  allow: [[ '),
      expected: [':11:3'],
    },
  ];

  it.each(cases)('reports $name with file:line', async ({ text, expected }) => {
    const file = writeContract(text);
    const r = await cli(bare(), 'workitem', 'check', file);
    expect(r.code).toBe(3);
    for (const e of expected) expect(r.stderr).toContain(`${file}${e}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports unknown gates, a non-perf perf gate, self-dependency and unsafe text, each on its line', async () => {
    const text = contractYaml({
      dependsOn: ['03a'],
      required: ['cpu:import', 'gpu:nope'],
      perf: 'gate: cpu:compileall\nmetric: tps\nbaseline_ref: origin/master\nbudget_pct: -5',
    }).replace('nmoe:', '# ask alice at gpu7.corp.internal (10.20.30.40)\nnmoe:');
    const file = writeContract(text);
    const r = await cli(bare(), 'workitem', 'check', file);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')).toEqual([
      `${file}:14: gates.required: unknown gate "gpu:nope" (not in ${SHIPPED_REGISTRY})`,
      `${file}:16: gates.perf.gate: "cpu:compileall" is a command gate, not a perf gate`,
      `${file}:8: nmoe.depends_on: issue 03a depends on itself`,
      `${file}:1: public-safety: internal-host: internal host gpu7.corp.internal (column 16)`,
      `${file}:1: public-safety: ip: IP address 10.20.30.40 (column 36)`,
      `gantry: ${file}: 5 problems`,
    ]);
  });

  it('prints the JSON Schemas of both formats', async () => {
    const wi = JSON.parse((await cli(bare(), 'schema', 'work-item')).stdout);
    expect(Object.keys(wi.properties)).toEqual(['scope', 'contract', 'gates']);
    expect(wi.additionalProperties.properties).toHaveProperty('merge_hotspots');
    const reg = JSON.parse((await cli(bare(), 'schema', 'gate-registry')).stdout);
    expect(reg.properties.gates.additionalProperties.properties.tier.enum).toEqual(['A', 'B']);
  });
});

describe('gate registry', () => {
  const withRegistry = (toml: string) => {
    const dir = tmp();
    writeFile(join(dir, 'gantry', 'gates.toml'), toml);
    return dir;
  };

  it('lists the shipped registry with bundles expanded, bundles inside bundles included', async () => {
    const r = await cli(bare(), 'gates', 'list', '--json');
    expect(r.code).toBe(0);
    const { registry, gates, bundles } = JSON.parse(r.stdout);
    expect(registry).toBe(SHIPPED_REGISTRY);
    expect(gates.map((g: { id: string }) => g.id)).toEqual(
      expect.arrayContaining(['cpu:import', 'cpu:compileall', 'b200:moonlight_8x20', 'zero2:resume_determinism', 'perf:baseline_delta']),
    );
    expect(gates.find((g: { id: string }) => g.id === 'b200:moonlight_8x20')).toMatchObject({ tier: 'B', gpus: 8, config: 'moonlight', steps: 20 });
    const gatesOf = (name: string) => bundles.find((b: { name: string }) => b.name === name).gates;
    expect(gatesOf('hot_path_min')).toEqual(['b200:moonlet_1x10', 'b200:moonlight_8x20']);
    expect(gatesOf('blockscaled_full')).toEqual(['b200:moonlet_1x10', 'b200:moonlight_8x20', 'b200:profile_fp8', 'b200:profile_nvfp4']);
    expect(gatesOf('zero2_full')).toEqual(['b200:moonlet_1x10', 'b200:moonlight_8x20', 'zero2:resume_determinism']);
    expect(gatesOf('full')).toHaveLength(8);

    const tierA = await cli(bare(), 'gates', 'list', '--tier', 'A');
    expect(tierA.stdout).toContain(`A  cpu:import`);
    expect(tierA.stdout).toContain(`python -c 'import nmoe'`);
    expect(tierA.stdout).not.toContain('b200:moonlight_8x20  ');
  });

  it('reports every schema problem with its line', async () => {
    const dir = withRegistry(
      ['[gates."cpu:a"]', 'tier = "C"', '', '[gates."perf:x"]', 'tier = "B"', 'kind = "perf"', 'command = ["x"]', '', '[bundles]', 'b = ["cpu:a", "ghost"]', ''].join('\n'),
    );
    const r = await cli(dir, 'gates', 'list');
    expect(r.code).toBe(3);
    const file = join(dir, 'gantry', 'gates.toml');
    expect(r.stderr).toContain(`${file}:2: gates.cpu:a.tier: Invalid option: expected one of "A"|"B"`);
    expect(r.stderr).toContain(`${file}:1: gates.cpu:a.command: a command gate needs`);
    expect(r.stderr).toContain(`${file}:7: gates.perf:x.command: a perf gate has no command`);
    expect(r.stderr).toContain(`${file}:10: bundles.b.1: "ghost" is neither a gate nor a bundle`);
  });

  it('refuses a bundle cycle, naming it and its line', async () => {
    const dir = withRegistry(['[gates."cpu:a"]', 'tier = "A"', 'command = ["true"]', '', '[bundles]', 'x = ["cpu:a", "y"]', 'y = ["z"]', 'z = ["x"]', ''].join('\n'));
    const r = await cli(dir, 'gates', 'list');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gantry: bundle cycle: x → y → z → x');
    expect(r.stderr).toContain(`where: ${join(dir, 'gantry', 'gates.toml')}:6`);
  });

  it('reports TOML syntax errors with line and column', async () => {
    const dir = withRegistry('[gates."cpu:a"]\ntier = "A\n');
    const r = await cli(dir, 'gates', 'list');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gate registry is not valid TOML');
    expect(r.stderr).toContain(`where: ${join(dir, 'gantry', 'gates.toml')}:2:`);
  });
});
