import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { requireInitialised } from '../../config/workspace.js';
import { checklistItems } from '../../flow/checklist.js';
import { loadFlowConfig } from '../../flow/flow-target.js';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';

/** WF_CHECKLIST_PATH, resolved against the project root; a clear error when it is not set. */
export function checklistPath(ctx: CliContext): string {
  const ws = requireInitialised(ctx.workspace());
  const { env, path } = loadFlowConfig(ws, ctx.env, ctx.cwd);
  if (!env.WF_CHECKLIST_PATH)
    throw new GantryError(ExitCode.NOT_FOUND, 'no checklist: WF_CHECKLIST_PATH is empty', { where: path, hint: 'set WF_CHECKLIST_PATH=flow-checklist.md in workflow.env' });
  return resolve(ws.projectRoot, env.WF_CHECKLIST_PATH);
}

const command: Command = {
  name: 'checklist status',
  summary: 'Show the flow checklist (WF_CHECKLIST_PATH): phases ticked so far and its event lines.',
  usage: 'gantry checklist status [--json]',
  options: {},
  async run(_args, ctx) {
    const path = checklistPath(ctx);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const items = checklistItems(text);
    const done = items.filter((i) => i.done).length;
    if (ctx.json) ctx.out(JSON.stringify({ path, exists: existsSync(path), done, total: items.length, items, last: existsSync(`${path}.last`) ? `${path}.last` : null }));
    else {
      ctx.out(`checklist ${path}: ${done}/${items.length} phases ticked${existsSync(path) ? '' : ' (not created yet; the next flow creates it)'}`);
      for (const i of items) ctx.out(`  [${i.done ? 'x' : ' '}] ${i.text}`);
    }
    return ExitCode.OK;
  },
};
export default command;
