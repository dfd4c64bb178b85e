import { ExitCode } from '../../../contracts/errors.js';
import { Tier } from '../../../contracts/gate-registry.js';
import { loadWorkflow } from '../../config/definitions.js';
import { requireInitialised } from '../../config/workspace.js';
import { ExecutorPool, TrackedTasks } from '../../exec/index.js';
import { loadContract } from '../../workitems/contract.js';
import { selectGates } from '../../workitems/gate-selection.js';
import { runGates, type GatesRunRequest, type RemoteTarget } from '../../workitems/gates-run.js';
import { loadRegistry, registryFile } from '../../workitems/registry.js';
import { WORK_ITEM_WORKFLOW, workItemKeyAt } from '../../workitems/work-item-run.js';
import { ANSWER_OPTIONS, answerPlan } from '../answerer-choice.js';
import { choice, optionalString } from '../args.js';
import type { Command } from '../command.js';
import { CONNECT_OPTIONS, withExecutor } from '../remote.js';
import { reporter } from '../reporter.js';

const command: Command = {
  name: 'gates run',
  summary:
    'Run gates and record each as a gate attempt in the work-item run for this contract and commit. Tier A runs here; tier B runs on --target as tracked tasks after a maintainer approves.',
  usage:
    'gantry gates run (<gate-id>... | --bundle <name> | --contract <file> --tier A|B) [--contract <file>] [--tier A|B] [--target <t>] ' +
    '[--yes | --approvals external [--approval-timeout <secs>]] [--accept-new-host-key] [--no-tty] [--json]',
  options: { bundle: { type: 'string' }, contract: { type: 'string' }, tier: { type: 'string' }, target: { type: 'string' }, ...ANSWER_OPTIONS, ...CONNECT_OPTIONS },
  positionals: true,
  async run(args, ctx) {
    const ws = requireInitialised(ctx.workspace());
    const registry = loadRegistry(registryFile(ws));
    const contractFile = optionalString(args, 'contract');
    const contract = contractFile === undefined ? undefined : loadContract(contractFile);
    const tier = optionalString(args, 'tier') === undefined ? undefined : choice(args, 'tier', Tier.options, 'A', command);
    const selected = selectGates(registry, { ids: args.positionals, bundle: optionalString(args, 'bundle'), contract: contract?.item, tier });
    for (const id of selected.perf) ctx.err(`gantry: ${id} is a perf gate: record it with \`gantry perf delta --contract ... --baseline ... --result ...\``);
    if (selected.run.length === 0) {
      ctx.err(`gantry: no command gates to run${tier ? ` in tier ${tier}` : ''}`);
      return ExitCode.OK;
    }
    const target = optionalString(args, 'target');
    const request: GatesRunRequest = {
      ws,
      def: loadWorkflow(ws, WORK_ITEM_WORKFLOW),
      registry,
      key: await workItemKeyAt(ctx.cwd, contract),
      gates: selected.run,
      env: ctx.env,
      signal: ctx.signal,
      listener: reporter(ctx.json, ctx.out),
      onLine: (gate, line) => {
        if (!ctx.json) ctx.out(`  ${gate} | ${line}`);
      },
      local: new ExecutorPool({ env: ctx.env }).get('local'),
      remote: undefined,
      answererFor: answerPlan(args, ctx, command),
    };
    const needsTarget = selected.run.some((id) => registry.registry.gates[id]!.tier === 'B');
    const run = async (remote: RemoteTarget | undefined) => {
      const { results } = await runGates({ ...request, remote });
      return results.every((r) => r.status === 'PASS') ? ExitCode.OK : ExitCode.FAILED;
    };
    if (!needsTarget || target === undefined) return run(undefined);
    return withExecutor(target, args, ctx, (executor) => run({ target, executor, tasks: new TrackedTasks(executor, { env: ctx.env }) }));
  },
};
export default command;
