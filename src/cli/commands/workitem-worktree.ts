import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { loadContract } from '../../workitems/contract.js';
import { repoRoot } from '../../workitems/git.js';
import { createWorktree } from '../../workitems/worktree.js';
import { optionalString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'workitem worktree',
  summary: 'Create the issue\'s worktree on branch issue/<id>-<slug> (from --base, else origin/master, else HEAD).',
  usage: 'gantry workitem worktree <contract.yml> [--base <ref>] [--dir <dir>] [--json]',
  options: { base: { type: 'string' }, dir: { type: 'string' } },
  positionals: true,
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length) throw new GantryError(ExitCode.USAGE, 'name exactly one contract file', { hint: `usage: ${command.usage}` });
    const { item } = loadContract(file);
    const repo = await repoRoot(ctx.cwd);
    const wt = await createWorktree(repo, item, { base: optionalString(args, 'base'), dir: optionalString(args, 'dir'), cwd: ctx.cwd });
    if (ctx.json) ctx.out(JSON.stringify({ issue: item.identity.issue, ...wt }));
    else {
      ctx.out(`worktree ${wt.dir}`);
      ctx.out(`  branch ${wt.branch} from ${wt.base} (${wt.base_sha.slice(0, 12)})`);
      ctx.out(`  next:  cd ${wt.dir}`);
    }
    return ExitCode.OK;
  },
};
export default command;
