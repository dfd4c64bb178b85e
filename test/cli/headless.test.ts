import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GANTRY_BIN, REPO_ROOT, tempProject, writeVisualEssayOutputs } from '../support/gantry.js';

const FORBID = join(REPO_ROOT, 'test', 'support', 'forbid-ui.mjs');
const headless = (args: string[], cwd: string) =>
  execa('node', ['--import', FORBID, GANTRY_BIN, ...args], { cwd, reject: false, stdin: 'ignore' });

describe('headless commands never load Ink or React', () => {
  it('the guard itself catches a UI import', async () => {
    const r = await execa('node', ['--import', FORBID, '-e', 'await import("ink")'], { reject: false, cwd: REPO_ROOT });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('UI module loaded by a headless command: ink');
  });

  it.each([
    [['--version']],
    [['run', 'list', '--json']],
    [['doctor']],
    [['run', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--yes', '--no-tty']],
  ])('gantry %j', async (args) => {
    const { dir } = await tempProject();
    writeVisualEssayOutputs(dir, 'a');
    const r = await headless(args, dir);
    expect(r.stderr).not.toContain('UI module loaded');
    expect(r.exitCode, r.stderr).toBe(0);
  });
});
