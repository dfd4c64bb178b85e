import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { prepareDemoProject } from '../../flow/demo-project.js';
import { optionalString } from '../args.js';
import type { Command } from '../command.js';
import { runFlowLive } from '../flow-live.js';
import { gantryVersion } from '../../config/package-root.js';

const command: Command = {
  name: 'demo',
  summary: 'Run the whole constitutional flow on this machine (target local) with a toy training script and a three-row sweep.',
  usage: 'gantry demo [--dir <empty folder>] [--no-tty] [--json]',
  options: { dir: { type: 'string' } },
  async run(args, ctx) {
    const wanted = optionalString(args, 'dir');
    const dir = wanted ? resolve(ctx.cwd, wanted) : mkdtempSync(join(tmpdir(), 'gantry-demo-'));
    if (wanted) {
      if (existsSync(dir) && readdirSync(dir).length > 0)
        throw new GantryError(ExitCode.USAGE, `${dir} is not empty`, { hint: 'give an empty or new folder, or leave out --dir for a temporary one' });
      mkdirSync(dir, { recursive: true });
    }
    if (!ctx.json) ctx.out(`gantry demo: project in ${dir} (a git repo with a toy training script, a 3-row sweep, target local)`);
    const ws = await prepareDemoProject(dir);
    const outcome = await runFlowLive(ctx, {
      ws,
      env: { ...ctx.env, WORKFLOW_CONFIG: '' },
      cwd: dir,
      options: { provision: 'auto', sweep: 'start', wait: 'true', fetch: 'all', teardown: 'keep' },
      interactive: false,
      consent: false,
      version: gantryVersion(),
      acceptNewHostKey: false,
      onCancel: 'kill',
    });
    const s = outcome.summary;
    if (ctx.json) ctx.out(JSON.stringify({ type: 'flow.summary', demo_dir: dir, ...s }));
    else {
      ctx.out(`FLOW=${s.flow_id} STATUS=${s.status}${s.first_failing_phase ? ` FIRST_FAILING_PHASE=${s.first_failing_phase} CODE=${s.first_failing_code}` : ''}`);
      ctx.out('');
      ctx.out(`record:     ${join(ws.runsDir, outcome.runId, 'record')}   (flow.start.json, phases/, flow.summary.json)`);
      ctx.out(`artifacts:  ${join(dir, 'artifacts')}   (fetched sweep outputs)`);
      ctx.out(`checklist:  ${join(dir, 'flow-checklist.md')}`);
      ctx.out(`next:       cd ${dir} && gantry run show --run ${outcome.runId}`);
    }
    return outcome.exitCode;
  },
};
export default command;
