import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/gantry.js';
import type { BadInput, Variants } from '../case.js';

/** A workflow.env that passes P00 on the local target, so each case breaks exactly one thing. */
const BASE = readFileSync(join(REPO_ROOT, 'configs', 'workflow.env.template'), 'utf8')
  .replace(/^LIUM_TARGET=$/m, 'LIUM_TARGET=local')
  .replace(/^REPO_URL=$/m, 'REPO_URL=/nonexistent/repo')
  .replace(/^SWEEP_CMD_TEMPLATE=$/m, 'SWEEP_CMD_TEMPLATE=echo {run_id}');
const GOOD_CSV = 'run_id,config,seed,overrides,notes\na,configs/a.yaml,1,lr=0.1,first\n';
const set = (key: string, value: string) => {
  const re = new RegExp(`^${key}=.*$`, 'm');
  if (!re.test(BASE)) throw new Error(`corpus: ${key} not in the template`);
  return BASE.replace(re, `${key}=${value}`);
};

const envVariants: Variants = {
  'court enforcement not 0/1': set('WF_PHASE_COURT_ENFORCE', 'maybe'),
  'allow override not 0/1': set('WF_ALLOW_OVERRIDE', 'yes'),
  'validator timeout negative': set('WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS', '-1'),
  'validator timeout a word': set('WF_SUBAGENT_VALIDATOR_TIMEOUT_SECS', 'soon'),
  'default teardown unknown': set('WF_DEFAULT_TEARDOWN', 'explode'),
  'constitution version a word': set('WF_CONSTITUTION_VERSION', 'one'),
  'sweep parallel zero': set('SWEEP_PARALLEL', '0'),
  'sweep parallel a word': set('SWEEP_PARALLEL', 'many'),
  'force clean not 0/1': set('CHECKOUT_FORCE_CLEAN', '2'),
  'a line without =': BASE + 'JUST SOME WORDS\n',
  'a key with a space': BASE + 'BAD KEY=1\n',
  'a key set twice': BASE + 'LIUM_TARGET=local\n',
  'target with a space': set('LIUM_TARGET', 'my host'),
  'target with a bad port': set('LIUM_TARGET', 'ssh://user@host:99999'),
  'target with a shell command': set('LIUM_TARGET', 'host;reboot'),
  'default host with a space': set('OPS_DEFAULT_HOST', 'a b'),
  'no repo url': set('REPO_URL', ''),
  'branch and PR both set': set('CHECKOUT_PR', '12'),
  'empty sweep command': set('SWEEP_CMD_TEMPLATE', ''),
  'outputs dir empty': set('OPS_REMOTE_OUTPUTS_DIR', ''),
  'run timeout negative': BASE + 'RUN_TIMEOUT_SECS=-5\n',
  'binary junk': BASE + '\u0000\u0001=\u0002\n',
  'empty file': '',
};

export const workflowEnvCases: BadInput[] = Object.entries(envVariants).map(([name, text]) => ({
  category: 'workflow.env',
  name,
  files: { 'gantry/workflow.env': text, 'sweep.csv': GOOD_CSV },
  args: ['flow', '--no-tty', '--provision', 'skip'],
  code: 3,
  message: /workflow\.env/,
}));

const csvVariants: Variants = {
  'empty file': '',
  'missing header': 'a,configs/a.yaml,1,x,y\n',
  'header in another order': 'config,run_id,seed,overrides,notes\nconfigs/a.yaml,a,1,x,y\n',
  'header missing a column': 'run_id,config,seed,overrides\na,b,1,x\n',
  'seed not a number': 'run_id,config,seed,overrides,notes\na,b,seven,x,y\n',
  'quote not closed': 'run_id,config,seed,overrides,notes\na,b,1,"x,y\n',
  'too many fields': 'run_id,config,seed,overrides,notes\na,b,1,x,y,z\n',
  'too few fields': 'run_id,config,seed,overrides,notes\na,b\n',
  'repeated run id': 'run_id,config,seed,overrides,notes\na,b,1,x,y\na,b,2,x,y\n',
  'run id with a slash': 'run_id,config,seed,overrides,notes\n../a,b,1,x,y\n',
  'run id empty': 'run_id,config,seed,overrides,notes\n,b,1,x,y\n',
  'header only': 'run_id,config,seed,overrides,notes\n',
  'stray quote in a field': 'run_id,config,seed,overrides,notes\na,b"c,1,x,y\n',
  'NUL byte': 'run_id,config,seed,overrides,notes\na,b\u0000,1,x,y\n',
  'escape sequence in notes': 'run_id,config,seed,overrides,notes\na,b,1,x,\u001b]0;pwned\u0007\n',
  'newline inside a quoted field': 'run_id,config,seed,overrides,notes\na,b,1,"x\ny",z\n',
  'a field full of control bytes': 'run_id,config,seed,overrides,notes\na,\u0001\u0002\u0003,1,x,y\n',
  'run id with shell metacharacters': 'run_id,config,seed,overrides,notes\n$(reboot),b,1,x,y\n',
};

export const sweepCsvCases: BadInput[] = Object.entries(csvVariants).map(([name, text]) => ({
  category: 'sweep CSV',
  name,
  files: { 'gantry/workflow.env': BASE, 'sweep.csv': text },
  args: ['flow', '--no-tty', '--provision', 'skip'],
  code: 3,
  message: /sweep\.csv/,
}));
