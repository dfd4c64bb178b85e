import { ExitCode, GantryError } from '../../../contracts/errors.js';
import type { Command } from '../command.js';
import { CONNECT_OPTIONS, withExecutor } from '../remote.js';

const command: Command = {
  name: 'target check',
  summary: 'Connect to a target and show where commands would run: host, user, port, host key, uname -a.',
  usage: 'gantry target check <target> [--accept-new-host-key] [--json]   (target: local | ssh://[user@]host[:port] | [user@]host[:port] | ssh config alias)',
  options: CONNECT_OPTIONS,
  positionals: true,
  async run(args, ctx) {
    if (args.positionals.length !== 1)
      throw new GantryError(ExitCode.USAGE, args.positionals.length === 0 ? 'missing <target>' : 'one target at a time', {
        where: 'gantry target check',
        hint: `usage: ${command.usage}`,
      });
    const target = args.positionals[0];
    return withExecutor(target, args, ctx, async (ex) => {
      const info = await ex.describe();
      const r = await ex.run(['uname', '-a']);
      if (r.exitCode !== 0)
        throw new GantryError(ExitCode.FAILED, `connected, but \`uname -a\` failed (exit ${r.exitCode ?? r.signal}): ${r.stderr.toString().trim()}`, {
          where: target,
        });
      const uname = r.stdout.toString().trim();
      if (ctx.json) ctx.out(JSON.stringify({ ...info, uname }));
      else {
        ctx.out(`target:   ${target} (${info.kind})`);
        ctx.out(`host:     ${info.host}`);
        ctx.out(`user:     ${info.user}`);
        if (info.port !== null) ctx.out(`port:     ${info.port}`);
        if (info.hostKeyFingerprint) ctx.out(`host key: ${info.hostKeyFingerprint}`);
        if (info.via) ctx.out(`via:      ${info.via}`);
        ctx.out(`uname:    ${uname}`);
      }
      return ExitCode.OK;
    });
  },
};
export default command;
