import { z } from 'zod';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { SCHEMAS } from '../../../contracts/index.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'schema',
  summary: 'Print the JSON Schema of a gantry format, for editors and validators.',
  usage: `gantry schema <${Object.keys(SCHEMAS).join('|')}>`,
  options: {},
  positionals: true,
  async run(args, ctx) {
    const name = args.positionals[0];
    const schema = name ? SCHEMAS[name] : undefined;
    if (!name || !schema || args.positionals.length > 1)
      throw new GantryError(ExitCode.USAGE, name ? `unknown schema "${name}"` : 'which schema?', { hint: `usage: ${command.usage}` });
    ctx.out(JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2));
    return ExitCode.OK;
  },
};
export default command;
