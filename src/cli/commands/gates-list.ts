import { ExitCode } from '../../../contracts/errors.js';
import { Tier } from '../../../contracts/gate-registry.js';
import { shCommand } from '../../exec/index.js';
import { expandBundle, loadRegistry, registryFile } from '../../workitems/registry.js';
import { optionalString, choice } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'gates list',
  summary: 'List the gate registry (workspace gates.toml, else the shipped example): gates by tier, and bundles expanded.',
  usage: 'gantry gates list [--tier A|B] [--json]',
  options: { tier: { type: 'string' } },
  async run(args, ctx) {
    const tier = optionalString(args, 'tier') === undefined ? undefined : choice(args, 'tier', Tier.options, 'A', command);
    const { file, registry } = loadRegistry(registryFile(ctx.workspace()));
    const gates = Object.entries(registry.gates)
      .filter(([, g]) => !tier || g.tier === tier)
      .map(([id, g]) => ({ id, ...g }));
    const bundles = Object.keys(registry.bundles).map((name) => ({ name, entries: registry.bundles[name]!, gates: expandBundle(registry, name) }));
    if (ctx.json) {
      ctx.out(JSON.stringify({ registry: file, gates, bundles }));
      return ExitCode.OK;
    }
    ctx.out(`registry ${file}`);
    for (const g of gates) {
      const facts = [g.kind === 'perf' ? 'perf' : null, g.gpus === undefined ? null : `${g.gpus} GPU`, g.config, g.steps === undefined ? null : `${g.steps} steps`]
        .filter(Boolean)
        .join(', ');
      ctx.out(`  ${g.tier}  ${g.id.padEnd(28)} ${facts.padEnd(34)} ${g.command ? shCommand(g.command) : '(judged by gantry perf delta)'}`);
      if (g.requires.length) ctx.out(`     requires ${g.requires.join(', ')}`);
    }
    ctx.out('bundles');
    for (const b of bundles) ctx.out(`  ${b.name.padEnd(18)} ${b.gates.join(', ')}`);
    return ExitCode.OK;
  },
};
export default command;
