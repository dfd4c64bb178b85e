import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../../contracts/errors.js';
import { SHIPPED_CONFIGS } from '../../config/package-root.js';
import type { Command } from '../command.js';

const GITIGNORE = ['# gantry: the record/ of each run is meant to be committed; logs are not.', 'runs/*/logs/', 'runs/*/.lock', 'runs/*/inbox/', ''].join('\n');

const command: Command = {
  name: 'init',
  summary: 'Create the workspace: workflow.env, workflows/, contracts/, runs/ and a .gitignore for logs.',
  usage: 'gantry init [--workspace DIR]',
  options: {},
  async run(_args, ctx) {
    const ws = ctx.workspace();
    const made: string[] = [];
    for (const dir of [ws.root, ws.workflowsDir, ws.contractsDir, ws.runsDir]) {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        made.push(dir + '/');
      }
    }
    if (!existsSync(ws.envFile)) {
      copyFileSync(join(SHIPPED_CONFIGS, 'workflow.env.template'), ws.envFile);
      made.push(ws.envFile);
    }
    const ignore = join(ws.root, '.gitignore');
    if (!existsSync(ignore)) {
      writeFileSync(ignore, GITIGNORE);
      made.push(ignore);
    }
    if (ctx.json) ctx.out(JSON.stringify({ workspace: ws.root, created: made }));
    else {
      ctx.out(`workspace ${ws.root}`);
      for (const m of made) ctx.out(`  created ${m}`);
      if (made.length === 0) ctx.out('  already initialised; nothing changed');
    }
    return ExitCode.OK;
  },
};
export default command;
