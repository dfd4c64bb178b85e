import { issueKey, type LoadedContract } from './contract.js';
import { lintPublicSafety } from './public-safety.js';
import type { LoadedRegistry } from './registry.js';

export interface Problem {
  /** file:line */
  where: string;
  message: string;
}

/**
 * What the schema cannot know: every gate ID is in the registry, the perf gate is a perf gate, the item
 * does not wait on itself, and the contract is public-safe (seed 002: no internal hosts, IPs, credentials).
 */
export function checkContract(c: LoadedContract, reg: LoadedRegistry): Problem[] {
  const { item } = c;
  const at = (path: (string | number)[]) => `${c.file}:${c.lineOf(path) ?? 1}`;
  const gates = reg.registry.gates;
  const problems: Problem[] = [];
  item.gates.required.forEach((id, i) => {
    if (!Object.hasOwn(gates, id))
      problems.push({ where: at(['gates', 'required', i]), message: `gates.required: unknown gate "${id}" (not in ${reg.file})` });
  });
  const perf = item.gates.perf;
  if (perf && !Object.hasOwn(gates, perf.gate))
    problems.push({ where: at(['gates', 'perf', 'gate']), message: `gates.perf.gate: unknown gate "${perf.gate}" (not in ${reg.file})` });
  else if (perf && gates[perf.gate]!.kind !== 'perf')
    problems.push({ where: at(['gates', 'perf', 'gate']), message: `gates.perf.gate: "${perf.gate}" is a ${gates[perf.gate]!.kind} gate, not a perf gate` });
  const self = issueKey(item.identity.issue);
  item.identity.depends_on.forEach((d, i) => {
    if (issueKey(d) === self)
      problems.push({ where: at([item.identity_block, 'depends_on', i]), message: `${item.identity_block}.depends_on: issue ${d} depends on itself` });
  });
  for (const f of lintPublicSafety(c.file, c.text, reg.registry.public_safety))
    problems.push({ where: `${f.file}:${f.line}`, message: `public-safety: ${f.kind}: ${f.detail} (column ${f.col})` });
  return problems;
}
