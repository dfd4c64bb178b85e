import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { loadContract } from '../../workitems/contract.js';
import { mergeOrder } from '../../workitems/merge-order.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'merge-order',
  summary:
    'Order work items for merging from their depends_on (cycles and unknown issues are errors), and flag items whose merge_hotspots overlap as needing sequencing.',
  usage: 'gantry merge-order <contract.yml>... [--json]',
  options: {},
  positionals: true,
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new GantryError(ExitCode.USAGE, 'name the contracts to order', { hint: `usage: ${command.usage}` });
    const plan = mergeOrder(args.positionals.map((f) => ({ file: f, item: loadContract(f).item })));
    if (ctx.json) {
      ctx.out(JSON.stringify(plan));
      return ExitCode.OK;
    }
    ctx.out('merge order:');
    plan.order.forEach((p, i) =>
      ctx.out(`  ${String(i + 1).padStart(2)}. ${p.issue} ${p.slug}  (level ${p.level}${p.after.length ? `, after ${p.after.join(', ')}` : ''})  ${p.file}`),
    );
    if (plan.independent.length) ctx.out(`independent (any order): ${plan.independent.join(', ')}`);
    for (const h of plan.hotspots)
      ctx.out(`needs sequencing: ${h.issues[0]} and ${h.issues[1]} both touch ${h.paths.join(', ')} — merge one, rebase the other`);
    return ExitCode.OK;
  },
};
export default command;
