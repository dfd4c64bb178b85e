import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { SHIPPED_CONFIGS } from '../../config/package-root.js';
import { optionalString } from '../args.js';
import type { Command } from '../command.js';

export const SWEEP_TEMPLATE = join(SHIPPED_CONFIGS, 'sweep.template.csv');

const command: Command = {
  name: 'sweep template',
  summary: 'Print a sweep manifest template (run_id,config,seed,overrides,notes), or write it with --out.',
  usage: 'gantry sweep template [--out <file>] [--force]',
  options: { out: { type: 'string' }, force: { type: 'boolean' } },
  async run(args, ctx) {
    const text = readFileSync(SWEEP_TEMPLATE, 'utf8');
    const out = optionalString(args, 'out');
    if (!out) {
      ctx.out(text.trimEnd());
      return ExitCode.OK;
    }
    const path = resolve(ctx.cwd, out);
    if (existsSync(path) && args.values.force !== true)
      throw new GantryError(ExitCode.USAGE, `${path} already exists`, { hint: 'pass --force to overwrite it' });
    writeFileSync(path, text);
    ctx.out(`wrote ${path}; point SWEEP_CSV at it in workflow.env`);
    return ExitCode.OK;
  },
};
export default command;
