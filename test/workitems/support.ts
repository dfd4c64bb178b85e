import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gantry, tmp, writeFile, type CliResult } from '../support/gantry.js';

/** git with a fixed identity, so commits work on any machine. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'init.defaultBranch=master', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}

/** Writes files (path → text) and commits them. */
export function commit(dir: string, files: Record<string, string>, message = 'change'): string {
  for (const [path, text] of Object.entries(files)) writeFile(join(dir, path), text);
  git(dir, 'add', '-A', '--', ...Object.keys(files));
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A git repository on master with one commit, and a gantry workspace at <repo>/gantry. */
export async function repoWithWorkspace(files: Record<string, string> = { 'README.md': '# project\n' }): Promise<string> {
  const dir = join(tmp(), 'project');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  commit(dir, files, 'initial');
  const init = await gantry(['init'], { cwd: dir });
  if (init.code !== 0) throw new Error(init.stderr);
  return dir;
}

export interface ContractOpts {
  issue?: string;
  slug?: string;
  dependsOn?: string[];
  hotspots?: string[];
  allow?: string[];
  deny?: string[];
  required?: string[];
  perf?: string;
}

/** A work-item contract in the seed's shape. */
export function contractYaml(o: ContractOpts = {}): string {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return [
    'nmoe:',
    `  issue: ${o.issue ?? '03a'}`,
    `  slug: ${o.slug ?? 'attention'}`,
    '  kind: feature',
    '  risk: hot',
    '  complexity: M',
    `  depends_on: ${list(o.dependsOn ?? [])}`,
    `  merge_hotspots: ${list(o.hotspots ?? [])}`,
    'scope:',
    `  allow: ${list(o.allow ?? ['nmoe/attention/**', 'nmoe/model.py'])}`,
    `  deny: ${list(o.deny ?? ['nmoe/csrc/**'])}`,
    'gates:',
    `  required: ${list(o.required ?? ['cpu:ok'])}`,
    ...(o.perf ? ['  perf:', ...o.perf.split('\n').map((l) => `    ${l}`)] : []),
    '',
  ].join('\n');
}

/** A gate registry for tests: tier A gates that pass, fail and need a variable; a perf gate; bundles. */
export function testRegistry(extra = ''): string {
  return `
[gates."cpu:ok"]
tier = "A"
command = ["node", "-e", "console.log('ok gate ran in ' + process.cwd())"]

[gates."cpu:fail"]
tier = "A"
command = ["node", "-e", "console.error('boom'); process.exit(3)"]

[gates."cpu:needs_env"]
tier = "A"
requires = ["WI_TEST_DATA_PATH", "WI_TEST_RUN_ROOT"]
command = ["node", "-e", "console.log(process.env.WI_TEST_DATA_PATH)"]

[gates."perf:baseline_delta"]
tier = "B"
kind = "perf"

[bundles]
smoke = ["cpu:ok"]
all_a = ["smoke", "cpu:fail"]
${extra}`;
}

export const cli = (cwd: string, ...args: string[]): Promise<CliResult> => gantry(args, { cwd });

export function runIds(repo: string): string[] {
  return readdirSync(join(repo, 'gantry', 'runs')).sort();
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The attempt file of a gate in a run. */
export function attempt(repo: string, runId: string, gate: string, n: number): Record<string, any> {
  return readJson(join(repo, 'gantry', 'runs', runId, 'record', 'gates', gate, `attempt-${n}.json`));
}
