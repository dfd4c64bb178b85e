import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { readTextFile } from '../../config/parse-file.js';
import { lintPublicSafety, renderFinding } from '../../workitems/public-safety.js';
import { loadRegistry, registryFile } from '../../workitems/registry.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'lint public-safety',
  summary:
    'Find what must not be published: IP literals, internal host names ([public_safety] internal_hosts in gates.toml), credentials, home-directory paths. Exit 1 when anything is found.',
  usage: 'gantry lint public-safety <file>... [--json]',
  options: {},
  positionals: true,
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new GantryError(ExitCode.USAGE, 'name the files to lint', { hint: `usage: ${command.usage}` });
    const { registry } = loadRegistry(registryFile(ctx.workspace()));
    const findings = args.positionals.flatMap((f) => lintPublicSafety(f, readTextFile(f, 'file'), registry.public_safety));
    if (ctx.json) ctx.out(JSON.stringify({ files: args.positionals, findings }));
    else {
      for (const f of findings) ctx.out(renderFinding(f));
      ctx.err(`gantry: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${args.positionals.length} file${args.positionals.length === 1 ? '' : 's'}`);
    }
    return findings.length ? ExitCode.FAILED : ExitCode.OK;
  },
};
export default command;
