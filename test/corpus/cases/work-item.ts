import type { BadInput, Variants } from '../case.js';

const GOOD = `nmoe:
  issue: 03a
  slug: attention
  kind: feature
  risk: hot
  complexity: M
  depends_on: [01]
  merge_hotspots: [nmoe/train.py]
scope:
  allow:
    - nmoe/attention/**
  deny:
    - nmoe/csrc/**
contract:
  invariants:
    - B200-only
  knobs:
    add: []
    change: [attn_global_every]
gates:
  required:
    - cpu:import
  perf:
    gate: perf:baseline_delta
    metric: node_tps_p50
    baseline_ref: origin/master
    budget_pct: -10
`;
const swap = (from: string, to: string) => {
  if (!GOOD.includes(from)) throw new Error(`corpus: "${from}" not in the base contract`);
  return GOOD.replace(from, to);
};

const variants: Variants = {
  'empty file': '',
  'not a map': '- a\n',
  'syntax error': 'nmoe:\n  issue: [03a\n',
  'two identity blocks': GOOD + 'other:\n  issue: 04\n  slug: x\n  kind: feature\n  risk: hot\n  complexity: S\n',
  'no identity block': GOOD.replace(/^nmoe:\n(  .*\n)+/, ''),
  'identity not a map': swap('nmoe:\n  issue: 03a', 'nmoe: 03a\nx:\n  issue: 03a'),
  'missing issue': swap('  issue: 03a\n', ''),
  'missing slug': swap('  slug: attention\n', ''),
  'slug with spaces': swap('slug: attention', 'slug: Attention Stack'),
  'unknown kind': swap('kind: feature', 'kind: vibes'),
  'unknown risk': swap('risk: hot', 'risk: lukewarm'),
  'unknown complexity': swap('complexity: M', 'complexity: XXL'),
  'depends_on a string': swap('depends_on: [01]', 'depends_on: 01'),
  'depends on itself': swap('depends_on: [01]', 'depends_on: [03a]'),
  'scope missing': swap('scope:\n  allow:\n    - nmoe/attention/**\n  deny:\n    - nmoe/csrc/**\n', ''),
  'allow empty': swap('  allow:\n    - nmoe/attention/**\n', '  allow: []\n'),
  'glob unbalanced bracket': swap('nmoe/attention/**', 'nmoe/[attention/**'),
  'glob absolute': swap('nmoe/attention/**', '/etc/**'),
  'glob climbing': swap('nmoe/attention/**', '../**'),
  'glob negated': swap('nmoe/csrc/**', '!nmoe/csrc/**'),
  'glob with backslash': swap('nmoe/csrc/**', 'nmoe\\\\csrc\\\\**'),
  'gates missing': GOOD.replace(/^gates:\n(  .*\n)+/m, ''),
  'unknown gate id': swap('    - cpu:import', '    - cpu:teleport'),
  'required a string': swap('  required:\n    - cpu:import', '  required: cpu:import'),
  'perf budget a string': swap('budget_pct: -10', 'budget_pct: ten'),
  'perf gate unknown': swap('gate: perf:baseline_delta', 'gate: perf:nope'),
  'perf gate not a perf gate': swap('gate: perf:baseline_delta', 'gate: cpu:import'),
  'perf metric missing': swap('    metric: node_tps_p50\n', ''),
  'unknown top-level block': GOOD + 'extras:\n  - a\n',
  'invariants a string': swap('  invariants:\n    - B200-only', '  invariants: B200-only'),
  'knobs unknown key': swap('    change: [attn_global_every]', '    change: [attn_global_every]\n    remove: [x]'),
  'public-safety: internal IP': swap('    - B200-only', '    - run on 10.1.2.3 only'),
  'public-safety: home path': swap('    - B200-only', '    - data in /home/hui/data'),
};

export const workItemCases: BadInput[] = Object.entries(variants).map(([name, text]) => ({
  category: 'work-item contract',
  name,
  files: { 'item.yml': text },
  args: ['workitem', 'check', 'item.yml'],
  code: 3,
  message: /item\.yml/,
}));
