import { ExitCode } from '../../../contracts/errors.js';
import { resetChecklist } from '../../flow/checklist.js';
import type { Command } from '../command.js';
import { checklistPath } from './checklist-status.js';

const command: Command = {
  name: 'checklist reset',
  summary: 'Untick every phase of the flow checklist and clear its events; the filled-in list is kept as <checklist>.last.',
  usage: 'gantry checklist reset [--json]',
  options: {},
  async run(_args, ctx) {
    const path = checklistPath(ctx);
    const { kept } = resetChecklist(path);
    if (ctx.json) ctx.out(JSON.stringify({ path, kept }));
    else ctx.out(kept ? `checklist ${path} reset; the previous one is kept as ${kept}` : `no checklist at ${path} yet; nothing to reset`);
    return ExitCode.OK;
  },
};
export default command;
