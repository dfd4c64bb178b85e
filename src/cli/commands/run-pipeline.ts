import { existsSync } from 'node:fs';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { Depth } from '../../../contracts/common.js';
import { loadWorkflow, loadWorkflowContracts } from '../../config/definitions.js';
import { requireInitialised } from '../../config/workspace.js';
import { checkArtifactPath } from '../../engine/output-paths.js';
import { runWorkflow } from '../../engine/run-workflow.js';
import { createRun } from '../../records/run-store.js';
import { ANSWER_OPTIONS, answerPlan } from '../answerer-choice.js';
import { choice, optionalString, requireString } from '../args.js';
import type { Command } from '../command.js';
import { exitCodeFor } from '../exit-status.js';
import { reporter } from '../reporter.js';
import type { RunWriter } from '../../records/run-writer.js';

const command: Command = {
  name: 'run <workflow>',
  summary: 'Run a whole gate pipeline: for each gate write its prompt packet, wait for an answer, validate, stop at the first FAIL.',
  usage:
    'gantry run <workflow> --slug <slug> --artifact-path <path> [--depth quick|standard|deep] [--prompt-file <path>] [--yes | --approvals external [--approval-timeout <secs>]] [--no-tty] [--json]',
  options: { slug: { type: 'string' }, 'artifact-path': { type: 'string' }, depth: { type: 'string' }, 'prompt-file': { type: 'string' }, ...ANSWER_OPTIONS },
  positionals: true,
  async run(args, ctx) {
    const [name, ...extra] = args.positionals;
    if (!name || extra.length) throw new GantryError(ExitCode.USAGE, 'name exactly one workflow', { hint: `usage: ${command.usage}` });
    const ws = requireInitialised(ctx.workspace());
    const def = loadWorkflow(ws, name);
    loadWorkflowContracts(ws, def);
    const slug = requireString(args, 'slug', command);
    const artifactPath = checkArtifactPath(requireString(args, 'artifact-path', command));
    const depth = choice(args, 'depth', Depth.options, 'standard', command);
    const promptFile = optionalString(args, 'prompt-file');
    if (promptFile && !existsSync(promptFile))
      throw new GantryError(ExitCode.NOT_FOUND, `prompt file ${promptFile} does not exist`, { hint: 'check --prompt-file' });
    const answererFor = answerPlan(args, ctx, command);

    // In a terminal the cockpit shows the run live; otherwise plain lines (or NDJSON) report it.
    const cockpit = ctx.tty && !ctx.json ? await (await import('../console.js')).openCockpit({ ctx }) : undefined;
    let writer: RunWriter | undefined;
    try {
      writer = createRun(
        ws.runsDir,
        {
          workflow: { name: def.name, version: def.version, slug, artifact_path: artifactPath },
          depth,
          steps: def.steps.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
          params: promptFile ? { prompt_file: promptFile } : {},
        },
        cockpit?.listener ?? reporter(ctx.json, ctx.out),
      );
      const answerer = answererFor(writer.paths, cockpit?.answerer);
      const options: Record<string, string> = promptFile ? { 'prompt-file': promptFile } : {};
      const result = await runWorkflow({ ws, def, writer, answerer, signal: cockpit?.signal ?? ctx.signal, options });
      await cockpit?.untilLeft();
      if (result.error) ctx.err(result.error.render());
      return exitCodeFor(result);
    } finally {
      await cockpit?.close();
      writer?.close();
    }
  },
};
export default command;
