import { ExitCode } from '../../../contracts/errors.js';
import { loadContract } from '../../workitems/contract.js';
import { changedFiles, defaultCompareBase, repoRoot } from '../../workitems/git.js';
import { checkScope } from '../../workitems/scope.js';
import { optionalString, requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'scope check',
  summary: 'Check the files changed since the merge base with --base against the contract\'s scope.allow / scope.deny. Exit 0 in scope, 1 not.',
  usage: 'gantry scope check --contract <file> [--base <ref>] [--json]',
  options: { contract: { type: 'string' }, base: { type: 'string' } },
  async run(args, ctx) {
    const { item } = loadContract(requireString(args, 'contract', command));
    const repo = await repoRoot(ctx.cwd);
    const base = optionalString(args, 'base') ?? (await defaultCompareBase(repo));
    const { mergeBase, files } = await changedFiles(repo, base);
    const r = checkScope(files, item.scope);
    if (ctx.json) ctx.out(JSON.stringify({ issue: item.identity.issue, base, merge_base: mergeBase, ...r }));
    else {
      ctx.out(`scope ${r.pass ? 'PASS' : 'FAIL'}: ${files.length} file${files.length === 1 ? '' : 's'} changed since ${base} (merge base ${mergeBase.slice(0, 12)})`);
      for (const f of r.outside_allow) ctx.out(`  outside scope.allow: ${f}`);
      for (const f of r.inside_deny) ctx.out(`  inside scope.deny:   ${f}`);
    }
    return r.pass ? ExitCode.OK : ExitCode.FAILED;
  },
};
export default command;
