import type { BadInput, Variants } from '../case.js';

const good = {
  gate: 'G1',
  name: 'Intake Approval',
  required_outputs: ['{artifact_path}/intake/BRIEF.md'],
  validations: [
    { type: 'contains_headings', path: '{artifact_path}/intake/BRIEF.md', headings: ['Topic'] },
    { type: 'min_sources', path: '{artifact_path}/c.md', min: 2 },
    { type: 'not_contains', path: '{artifact_path}/c.md', pattern: 'TODO', severity: 'warn' },
  ],
};
type Doc = Record<string, unknown> & { validations: Record<string, unknown>[] };
const mutate = (fn: (d: Doc) => void): string => {
  const d = structuredClone(good) as Doc;
  fn(d);
  return JSON.stringify(d, null, 2);
};

const variants: Variants = {
  'empty file': '',
  'trailing comma': '{"gate": "G1", "name": "x",}',
  'single quotes': "{'gate': 'G1'}",
  'a comment': '{"gate": "G1" // hi\n}',
  'unclosed object': '{"gate": "G1", "name": "x"',
  'an array': '[]',
  'a string': '"G1"',
  'null': 'null',
  'missing gate': mutate((d) => delete d.gate),
  'gate with a space': mutate((d) => (d.gate = 'G 1')),
  'gate a number': mutate((d) => (d.gate = 1)),
  'missing name': mutate((d) => delete d.name),
  'name empty': mutate((d) => (d.name = '')),
  'unknown key': mutate((d) => (d.colour = 'blue')),
  'required_outputs a string': mutate((d) => (d.required_outputs = '{artifact_path}/x')),
  'required output empty': mutate((d) => (d.required_outputs = [''])),
  'required output a number': mutate((d) => (d.required_outputs = [3])),
  'validations a map': mutate((d) => (d.validations = {} as never)),
  'validation without type': mutate((d) => delete d.validations[0]!.type),
  'unknown validation type': mutate((d) => (d.validations[0]!.type = 'file_smells_nice')),
  'validation without path': mutate((d) => delete d.validations[0]!.path),
  'contains_headings without headings': mutate((d) => delete d.validations[0]!.headings),
  'contains_headings empty list': mutate((d) => (d.validations[0]!.headings = [])),
  'contains_headings a string': mutate((d) => (d.validations[0]!.headings = 'Topic')),
  'min_sources without min': mutate((d) => delete d.validations[1]!.min),
  'min_sources negative': mutate((d) => (d.validations[1]!.min = -1)),
  'min_sources fractional': mutate((d) => (d.validations[1]!.min = 2.5)),
  'min_sources a string': mutate((d) => (d.validations[1]!.min = 'five')),
  'not_contains without pattern': mutate((d) => delete d.validations[2]!.pattern),
  'not_contains bad severity': mutate((d) => (d.validations[2]!.severity = 'panic')),
  'not_contains broken regex': mutate((d) => Object.assign(d.validations[2]!, { pattern: '(unclosed', regex: true })),
  'not_contains regex a string': mutate((d) => (d.validations[2]!.regex = 'yes')),
  'validation unknown key': mutate((d) => (d.validations[1]!.max = 3)),
  'json_valid without path': mutate((d) => d.validations.push({ type: 'json_valid' })),
  'file_exists with extra key': mutate((d) => d.validations.push({ type: 'file_exists', path: 'x', min: 1 })),
  'validation a string': mutate((d) => (d.validations[0] = 'file_exists' as never)),
  'invalid UTF-8': Buffer.from([0x7b, 0x22, 0x67, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'),
  'deeply nested junk': '['.repeat(5000),
};

export const gateContractCases: BadInput[] = Object.entries(variants).map(([name, text]) => ({
  category: 'gate contract',
  name,
  files: { 'gantry/contracts/visual-essay/G1.contract.json': text },
  args: ['run', 'visual-essay', '--slug', 's', '--artifact-path', 'a', '--yes'],
  code: 3,
  message: /G1\.contract\.json/,
}));

/** Contracts whose paths only fail when resolved at finish time. */
const escaping: Record<string, string[]> = {
  'output climbing out': ['../../etc/passwd'],
  'output absolute': ['/etc/passwd'],
  'output with unknown variable': ['{home}/x'],
  'output climbing out after a variable': ['{artifact_path}/../../x'],
};
export const gatePathCases: BadInput[] = Object.entries(escaping).map(([name, outputs]) => ({
  category: 'gate contract paths',
  name,
  files: { 'gantry/contracts/visual-essay/G1.contract.json': JSON.stringify({ gate: 'G1', name: 'Intake', required_outputs: outputs }) },
  args: ['gate', 'finish', '--run', '{RUN}', '--gate', 'G1'],
  code: 3,
  message: /output path|path variable/,
}));
