import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { checkContract } from '../../workitems/check.js';
import { loadContract } from '../../workitems/contract.js';
import { loadRegistry, registryFile } from '../../workitems/registry.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'workitem check',
  summary: 'Check a work-item contract: schema, known gate IDs, valid scope globs, public safety. Exit 0 clean, 3 with problems.',
  usage: 'gantry workitem check <contract.yml> [--json]',
  options: {},
  positionals: true,
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length) throw new GantryError(ExitCode.USAGE, 'name exactly one contract file', { hint: `usage: ${command.usage}` });
    const reg = loadRegistry(registryFile(ctx.workspace()));
    const contract = loadContract(file);
    const problems = checkContract(contract, reg);
    const { identity } = contract.item;
    if (ctx.json) ctx.out(JSON.stringify({ file, ok: problems.length === 0, issue: identity.issue, slug: identity.slug, registry: reg.file, problems }));
    else if (problems.length === 0)
      ctx.out(
        `ok ${file}: issue ${identity.issue} (${identity.slug}), ${contract.item.gates.required.length} required gates known to ${reg.file}, ` +
          `scope ${contract.item.scope.allow.length} allow / ${contract.item.scope.deny.length} deny, public-safe`,
      );
    else {
      for (const p of problems) ctx.err(`${p.where}: ${p.message}`);
      ctx.err(`gantry: ${file}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`);
    }
    return problems.length === 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
  },
};
export default command;
