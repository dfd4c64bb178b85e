import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GANTRY_BIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `gantry` CLI as a user would: no terminal, stdin closed unless given. */
export async function gantry(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): Promise<CliResult> {
  const r = await execa('node', [GANTRY_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...opts.env },
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    reject: false,
    timeout: 60_000,
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `gantry` in the background (for pipelines that wait); the caller kills or awaits it. */
const BACKGROUND = { stdin: 'ignore', reject: false, buffer: true, all: true } as const;

export function gantryBackground(args: string[], opts: { cwd: string; env?: Record<string, string> }): ResultPromise<typeof BACKGROUND> {
  return execa('node', [GANTRY_BIN, ...args], { ...BACKGROUND, cwd: opts.cwd, env: { ...opts.env } });
}

/** A fresh project folder with an initialised workspace at <dir>/gantry. */
export async function tempProject(): Promise<{ dir: string; ws: string; runs: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-test-'));
  const r = await gantry(['init'], { cwd: dir });
  if (r.code !== 0) throw new Error(`gantry init failed: ${r.stderr}`);
  return { dir, ws: join(dir, 'gantry'), runs: join(dir, 'gantry', 'runs') };
}

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes outputs that satisfy every visual-essay gate contract under <dir>/<artifactPath>. */
export function writeVisualEssayOutputs(dir: string, artifactPath: string, gates: string[] = ['G1', 'G2', 'G3']): void {
  const a = join(dir, artifactPath);
  if (gates.includes('G1')) writeFile(join(a, 'intake/BRIEF.md'), '# Topic\nRobots.\n# Audience\nEveryone.\n# Angle\nEtymology.\n');
  if (gates.includes('G2')) {
    const cites = [1, 2, 3, 4, 5].map((n) => `- Source ${n}: https://example.org/source-${n}`).join('\n');
    writeFile(join(a, 'research/CITATIONS.md'), `# Citations\n${cites}\n`);
    writeFile(join(a, 'research/FIGURES.md'), '# Figures\n1. Timeline of the word.\n');
  }
  if (gates.includes('G3')) {
    const spec = ['Thesis', 'Narrative', 'Evidence', 'Visuals', 'Interaction', 'Accessibility'].map((h) => `## ${h}\ntext\n`).join('');
    writeFile(join(a, 'spec/SPEC.md'), `# Spec\n${spec}`);
    writeFile(join(a, 'spec/spec.json'), '{"layers": 6}\n');
  }
}

/** Waits until `pred` holds, polling; throws after `ms`. */
export async function waitFor(pred: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const tmp = () => mkdtempSync(join(tmpdir(), 'gantry-'));
