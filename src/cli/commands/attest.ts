import { ExitCode } from '../../../contracts/errors.js';
import { buildAttestation, renderAttestation } from '../../workitems/attestation.js';
import { loadContract } from '../../workitems/contract.js';
import { defaultCompareBase, headSha, mergeBase, repoRoot } from '../../workitems/git.js';
import { loadRegistry, registryFile } from '../../workitems/registry.js';
import { optionalString, requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'attest',
  summary:
    'Print the PR attestation block (seed 002) for HEAD, filled only from recorded gate attempts: a gate is listed as passed only when its latest recorded attempt passed.',
  usage: 'gantry attest --contract <file> [--base <ref>] [--json]',
  options: { contract: { type: 'string' }, base: { type: 'string' } },
  async run(args, ctx) {
    const { item } = loadContract(requireString(args, 'contract', command));
    const ws = ctx.workspace();
    const { registry } = loadRegistry(registryFile(ws));
    const repo = await repoRoot(ctx.cwd);
    const base = optionalString(args, 'base') ?? (await defaultCompareBase(repo));
    const shas = { baseline: await mergeBase(repo, base), pr: await headSha(repo) };
    const a = buildAttestation(ws.runsDir, item, registry, shas);
    if (ctx.json) ctx.out(JSON.stringify(a));
    else ctx.out(renderAttestation(a).trimEnd());
    if (a.not_passed.length) ctx.err(`gantry: required gates not recorded as passed at ${shas.pr.slice(0, 12)}: ${a.not_passed.join(', ')}`);
    if (a.runs.length === 0) ctx.err(`gantry: no work-item run recorded for issue ${item.identity.issue} at ${shas.pr.slice(0, 12)} (in ${ws.runsDir})`);
    return ExitCode.OK;
  },
};
export default command;
