import type { BadInput, Variants } from '../case.js';

const GATE = '[gates."cpu:import"]\ntier = "A"\ncommand = ["python", "-c", "import x"]\n';

const variants: Variants = {
  'syntax: unclosed table': '[gates\n',
  'syntax: missing value': '[gates."cpu:import"]\ntier =\n',
  'syntax: unterminated string': '[gates."cpu:import"]\ntier = "A\n',
  'syntax: duplicate key': GATE + 'tier = "B"\n',
  'syntax: duplicate table': GATE + GATE,
  'unknown tier': GATE.replace('tier = "A"', 'tier = "C"'),
  'tier missing': GATE.replace('tier = "A"\n', ''),
  'command a string': GATE.replace('["python", "-c", "import x"]', '"python -c import"'),
  'command empty list': GATE.replace('["python", "-c", "import x"]', '[]'),
  'command with a number': GATE.replace('"import x"]', '3]'),
  'requires a string': GATE + 'requires = "HOME"\n',
  'gpus negative': GATE + 'gpus = -1\n',
  'gpus fractional': GATE + 'gpus = 1.5\n',
  'unknown gate key': GATE + 'colour = "blue"\n',
  'bundle naming an unknown gate': GATE + '[bundles]\nquick = ["cpu:nope"]\n',
  'bundle a string': GATE + '[bundles]\nquick = "cpu:import"\n',
  'bundle cycle': GATE + '[bundles]\na = ["b"]\nb = ["a"]\n',
  'gates a list': 'gates = [1, 2]\n',
  'invalid UTF-8': '[gates."cpu:\xff"]\n',
  'timeout negative': GATE + 'timeout_secs = -5\n',
};

export const gatesTomlCases: BadInput[] = Object.entries(variants).map(([name, text]) => ({
  category: 'gates.toml',
  name,
  files: { 'gantry/gates.toml': name === 'invalid UTF-8' ? Buffer.from(text, 'latin1') : text },
  args: ['gates', 'list'],
  code: 3,
  message: /gates\.toml/,
}));
