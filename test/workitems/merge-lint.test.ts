import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmp, writeFile } from '../support/gantry.js';
import { cli, contractYaml, type ContractOpts } from './support.js';

/** Writes one contract per entry into a fresh folder; returns the folder and the file names in order. */
function contracts(items: ContractOpts[]): { dir: string; files: string[] } {
  const dir = tmp();
  const files = items.map((o) => {
    const name = `issue-${o.issue}.yml`;
    writeFile(join(dir, name), contractYaml({ slug: `s${o.issue}`.replace(/[^a-z0-9]/g, ''), ...o }));
    return name;
  });
  return { dir, files };
}

describe('merge-order', () => {
  it("orders the seed's chain and lists independent items; overlapping hotspots need sequencing", async () => {
    // Given out of order on purpose: 01 → 03a → 03b → 08, with 02 and 05 independent.
    const { dir, files } = contracts([
      { issue: '08', dependsOn: ['03b'] },
      { issue: '02', hotspots: ['nmoe/config.py'] },
      { issue: '03b', dependsOn: ['03a'], hotspots: ['nmoe/attention/**'] },
      { issue: '01' },
      { issue: '03a', dependsOn: ['01'], hotspots: ['nmoe/train.py', 'nmoe/config.py', 'nmoe/attention/core.py'] },
      { issue: '05', hotspots: ['docs/**'] },
    ]);
    const r = await cli(dir, 'merge-order', ...files, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.order.map((p: { issue: string }) => p.issue)).toEqual(['02', '01', '03a', '03b', '08', '05']);
    expect(plan.order.map((p: { level: number }) => p.level)).toEqual([1, 1, 2, 3, 4, 1]);
    expect(plan.independent).toEqual(['02', '05']);
    expect(plan.hotspots).toEqual([
      { issues: ['02', '03a'], paths: ['nmoe/config.py'] },
      { issues: ['03b', '03a'], paths: ['nmoe/attention/**'] },
    ]);

    const text = await cli(dir, 'merge-order', ...files);
    expect(text.stdout.split('\n')).toEqual([
      'merge order:',
      '   1. 02 s02  (level 1)  issue-02.yml',
      '   2. 01 s01  (level 1)  issue-01.yml',
      '   3. 03a s03a  (level 2, after 01)  issue-03a.yml',
      '   4. 03b s03b  (level 3, after 03a)  issue-03b.yml',
      '   5. 08 s08  (level 4, after 03b)  issue-08.yml',
      '   6. 05 s05  (level 1)  issue-05.yml',
      'independent (any order): 02, 05',
      'needs sequencing: 02 and 03a both touch nmoe/config.py — merge one, rebase the other',
      'needs sequencing: 03b and 03a both touch nmoe/attention/** — merge one, rebase the other',
    ]);
  });

  it('refuses a cycle, naming it', async () => {
    const { dir, files } = contracts([
      { issue: '1' },
      { issue: '2', dependsOn: ['4'] },
      { issue: '3', dependsOn: ['2'] },
      { issue: '4', dependsOn: ['3', '1'] },
    ]);
    const r = await cli(dir, 'merge-order', ...files);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gantry: dependency cycle: 2 → 4 → 3 → 2');
  });

  it('refuses unknown issues in depends_on, naming each', async () => {
    const { dir, files } = contracts([{ issue: '03a', dependsOn: ['01', '99'] }, { issue: '01' }, { issue: '7', dependsOn: ['42'] }]);
    const r = await cli(dir, 'merge-order', ...files);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown issues in depends_on: 03a (issue-03a.yml) depends on 99; 7 (issue-7.yml) depends on 42');
  });

  it('matches `01` written as a number with `1`, and refuses one issue declared twice', async () => {
    const dir = tmp();
    writeFile(join(dir, 'a.yml'), contractYaml({ issue: '01', slug: 'core' }));
    writeFile(join(dir, 'b.yml'), contractYaml({ issue: '03a', dependsOn: ['1'] }));
    const r = await cli(dir, 'merge-order', 'b.yml', 'a.yml', '--json');
    expect(JSON.parse(r.stdout).order.map((p: { issue: string }) => p.issue)).toEqual(['01', '03a']);
    writeFile(join(dir, 'c.yml'), contractYaml({ issue: '1', slug: 'again' }));
    const dup = await cli(dir, 'merge-order', 'a.yml', 'c.yml');
    expect(dup.code).toBe(3);
    expect(dup.stderr).toContain('issue 1 is declared twice: a.yml and c.yml');
  });
});

describe('lint public-safety', () => {
  it('reports IPs, internal hosts, credentials and home paths with file:line:col, and exits 1', async () => {
    const dir = tmp();
    const token = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    writeFile(
      join(dir, 'notes.md'),
      [
        '# PR notes',
        'Ran on gpu-07.cluster.local (10.0.12.7), port 8080.',
        `export GITHUB_TOKEN=${token}`,
        'db_password: "hunter2hunter2"',
        'data in /home/alice/datasets and /Users/bob/x, also ~carol/runs',
        'localhost 127.0.0.1 and versions 1.2.3 are fine; so is ~/data and ${NMOE_DATA_PATH}',
        'api_token: ${{ secrets.API_TOKEN }}',
        'ipv6 fd00:1234::17 too',
      ].join('\n'),
    );
    writeFile(join(dir, 'clean.yml'), 'scope:\n  allow: [nmoe/**]\n');
    const r = await cli(dir, 'lint', 'public-safety', 'notes.md', 'clean.yml');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      'notes.md:2:8: internal-host: internal host gpu-07.cluster.local',
      'notes.md:2:30: ip: IP address 10.0.12.7',
      'notes.md:3:21: credential: credential-shaped text ghp_…(44 chars)',
      'notes.md:4:1: credential: secret value for db_password: hunt…(14 chars)',
      'notes.md:5:9: home-path: home-directory path /home/alice',
      'notes.md:5:34: home-path: home-directory path /Users/bob',
      'notes.md:5:53: home-path: home-directory path ~carol',
      'notes.md:8:6: ip: IP address fd00:1234::17',
    ]);
    expect(r.stdout).not.toContain(token);
    expect(r.stderr).toBe('gantry: 8 findings in 2 files');

    const clean = await cli(dir, 'lint', 'public-safety', 'clean.yml', '--json');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ files: ['clean.yml'], findings: [] });
  });

  it('takes internal host patterns and allowed literals from the workspace gates.toml', async () => {
    const dir = tmp();
    writeFile(
      join(dir, 'gantry', 'gates.toml'),
      '[gates."cpu:a"]\ntier = "A"\ncommand = ["true"]\n\n[public_safety]\ninternal_hosts = ["*.acme-internal.net", "buildbox-*"]\nallow = ["10.0.0.1"]\n',
    );
    writeFile(join(dir, 'doc.md'), 'see buildbox-3 and ci.acme-internal.net\nproxy 10.0.0.1, gpu-07.cluster.local is not configured here\n');
    const r = await cli(dir, 'lint', 'public-safety', 'doc.md', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toEqual([
      { file: 'doc.md', line: 1, col: 5, kind: 'internal-host', detail: 'internal host buildbox-3' },
      { file: 'doc.md', line: 1, col: 20, kind: 'internal-host', detail: 'internal host ci.acme-internal.net' },
    ]);
  });

  it('names a missing file', async () => {
    const r = await cli(tmp(), 'lint', 'public-safety', 'nope.md');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('cannot read file: ENOENT');
  });
});
