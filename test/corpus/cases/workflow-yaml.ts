import type { BadInput, Variants } from '../case.js';

const GOOD = `name: bad
version: v1
steps:
  - id: G1
    name: Intake
    kind: approval
    contract: visual-essay/G1.contract.json
  - id: C1
    name: Build
    kind: command
    retry: { max: 1, backoff_ms: 10 }
    timeout_secs: 5
    failure_family: 300
    skip_when: { option: sweep, in: [skip] }
`;
const swap = (from: string, to: string) => GOOD.replace(from, to);

const variants: Variants = {
  'empty file': '',
  'only a comment': '# nothing here\n',
  'a list, not a map': '- a\n- b\n',
  'a scalar': 'just text\n',
  'unclosed flow sequence': 'name: bad\nsteps: [\n',
  'unclosed flow map': 'name: bad\nsteps:\n  - { id: G1, name: x\n',
  'tab indentation': 'name: bad\nsteps:\n\t- id: G1\n',
  'duplicate key': 'name: bad\nname: again\nsteps: []\n',
  'unterminated quote': 'name: "bad\nsteps: []\n',
  'bad indentation': 'name: bad\nsteps:\n  - id: G1\n   name: x\n',
  'missing name': swap('name: bad\n', ''),
  'name with capitals': swap('name: bad\n', 'name: Bad\n'),
  'name mismatching the file': swap('name: bad\n', 'name: other\n'),
  'version a number': swap('version: v1', 'version: 1'),
  'steps missing': 'name: bad\n',
  'steps empty': 'name: bad\nsteps: []\n',
  'steps a map': 'name: bad\nsteps: { a: 1 }\n',
  'step a string': 'name: bad\nsteps:\n  - G1\n',
  'step missing id': swap('  - id: G1\n    name: Intake', '  - name: Intake'),
  'step missing name': swap('    name: Intake\n', ''),
  'step missing kind': swap('    kind: approval\n', ''),
  'unknown kind': swap('kind: command', 'kind: teleport'),
  'unknown top-level key': GOOD + 'colour: blue\n',
  'unknown step key': swap('    name: Build\n', '    name: Build\n    colour: blue\n'),
  'duplicate step id': swap('id: C1', 'id: G1'),
  'gate without contract': swap('kind: command', 'kind: gate'),
  'id with a slash': swap('id: C1', 'id: ../C1'),
  'id empty': swap('id: C1', 'id: ""'),
  'id starting with a dash': swap('id: C1', 'id: -C1'),
  'retry max negative': swap('max: 1', 'max: -1'),
  'retry max huge': swap('max: 1', 'max: 999'),
  'retry a string': swap('retry: { max: 1, backoff_ms: 10 }', 'retry: often'),
  'retry unknown key': swap('backoff_ms: 10', 'backoff_ms: 10, jitter: 2'),
  'timeout zero': swap('timeout_secs: 5', 'timeout_secs: 0'),
  'timeout negative': swap('timeout_secs: 5', 'timeout_secs: -5'),
  'timeout a string': swap('timeout_secs: 5', 'timeout_secs: soon'),
  'failure family too small': swap('failure_family: 300', 'failure_family: 50'),
  'failure family too large': swap('failure_family: 300', 'failure_family: 1000'),
  'failure family fractional': swap('failure_family: 300', 'failure_family: 300.5'),
  'skip_when without option': swap('{ option: sweep, in: [skip] }', '{ in: [skip] }'),
  'skip_when with empty list': swap('in: [skip]', 'in: []'),
  'skip_when an expression': swap('skip_when: { option: sweep, in: [skip] }', 'skip_when: "sweep == skip"'),
  'laws not a list': swap('    name: Build\n', '    name: Build\n    laws: LAW_1\n'),
  'with not a map': swap('    name: Build\n', '    name: Build\n    with: [1, 2]\n'),
  'description a map': swap('version: v1', 'version: v1\ndescription: { a: 1 }'),
  'binary junk': '\u0000\u0001\u0002name: bad\n',
  'anchor to nowhere': 'name: bad\nsteps: *nothing\n',
  'contract path not a string': swap('contract: visual-essay/G1.contract.json', 'contract: [a]'),
};

export const workflowYamlCases: BadInput[] = Object.entries(variants).map(([name, text]) => ({
  category: 'workflow YAML',
  name,
  files: { 'gantry/workflows/bad.yaml': text },
  args: ['run', 'start', '--workflow', 'bad', '--slug', 's', '--artifact-path', 'a'],
  code: 3,
  message: /bad\.yaml(:\d+)?/,
}));
