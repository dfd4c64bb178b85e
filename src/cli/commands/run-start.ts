import { ExitCode } from '../../../contracts/errors.js';
import { Depth } from '../../../contracts/common.js';
import { loadWorkflow, loadWorkflowContracts } from '../../config/definitions.js';
import { requireInitialised } from '../../config/workspace.js';
import { checkArtifactPath } from '../../engine/output-paths.js';
import { createRun } from '../../records/run-store.js';
import { choice, requireString } from '../args.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'run start',
  summary: 'Initialise a run record (manual mode); prints the run id alone on stdout.',
  usage: 'gantry run start --workflow <name> --slug <slug> --artifact-path <path> [--depth quick|standard|deep]',
  options: { workflow: { type: 'string' }, slug: { type: 'string' }, 'artifact-path': { type: 'string' }, depth: { type: 'string' } },
  async run(args, ctx) {
    const ws = requireInitialised(ctx.workspace());
    const def = loadWorkflow(ws, requireString(args, 'workflow', command));
    loadWorkflowContracts(ws, def);
    const slug = requireString(args, 'slug', command);
    const artifactPath = checkArtifactPath(requireString(args, 'artifact-path', command));
    const depth = choice(args, 'depth', Depth.options, 'standard', command);
    const w = createRun(ws.runsDir, {
      workflow: { name: def.name, version: def.version, slug, artifact_path: artifactPath },
      depth,
      steps: def.steps.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
      params: {},
    });
    w.close();
    ctx.out(ctx.json ? JSON.stringify({ run_id: w.runId }) : w.runId);
    return ExitCode.OK;
  },
};
export default command;
