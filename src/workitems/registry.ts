import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import { GateRegistry, type GateDef, type Tier } from '../../contracts/gate-registry.js';
import { SHIPPED_CONFIGS } from '../config/package-root.js';
import type { Workspace } from '../config/workspace.js';
import { readTextFile } from '../config/parse-file.js';
import { parseTomlText } from '../config/toml-file.js';
import { tomlLineFinder } from '../config/toml-lines.js';

export interface LoadedRegistry {
  file: string;
  registry: GateRegistry;
}

/** `<workspace>/gates.toml` when present, else the example shipped in configs/. */
export function registryFile(ws: Workspace): string {
  const own = join(ws.root, 'gates.toml');
  return existsSync(own) ? own : join(SHIPPED_CONFIGS, 'gates.toml');
}

export function loadRegistry(file: string): LoadedRegistry {
  const text = readTextFile(file, 'gate registry');
  const registry = parseTomlText(text, file, GateRegistry, 'gate registry', 'gate-registry');
  const lineOf = tomlLineFinder(text);
  const at = (path: readonly PropertyKey[]) => {
    const line = lineOf(path);
    return `${file}${line ? `:${line}` : ''}`;
  };
  for (const name of Object.keys(registry.bundles)) {
    const cycle = findBundleCycle(registry, name);
    if (cycle)
      throw new GantryError(ExitCode.INVALID_INPUT, `bundle cycle: ${cycle.join(' → ')}`, {
        where: at(['bundles', name]),
        hint: 'a bundle may include other bundles, but never itself, directly or through others',
      });
  }
  return { file, registry };
}

function findBundleCycle(reg: GateRegistry, start: string, trail: string[] = []): string[] | undefined {
  if (trail.includes(start)) return [...trail.slice(trail.indexOf(start)), start];
  for (const m of reg.bundles[start] ?? []) {
    if (!Object.hasOwn(reg.bundles, m)) continue;
    const cycle = findBundleCycle(reg, m, [...trail, start]);
    if (cycle) return cycle;
  }
  return undefined;
}

/** A bundle's gates, bundles inside it expanded in place, each gate once, in first-mention order. */
export function expandBundle(reg: GateRegistry, name: string): string[] {
  if (!Object.hasOwn(reg.bundles, name))
    throw new GantryError(ExitCode.NOT_FOUND, `unknown bundle "${name}"`, {
      hint: `bundles: ${Object.keys(reg.bundles).join(', ') || '(none)'}`,
    });
  const out = new Set<string>();
  for (const m of reg.bundles[name]!) {
    if (Object.hasOwn(reg.bundles, m)) for (const g of expandBundle(reg, m)) out.add(g);
    else out.add(m);
  }
  return [...out];
}

export function requireGate(reg: LoadedRegistry, id: string): GateDef {
  const g = Object.hasOwn(reg.registry.gates, id) ? reg.registry.gates[id] : undefined;
  if (!g)
    throw new GantryError(ExitCode.NOT_FOUND, `unknown gate "${id}"`, {
      where: reg.file,
      hint: 'list the gates with `gantry gates list`',
    });
  return g;
}

export function gatesOfTier(reg: GateRegistry, ids: readonly string[], tier: Tier): string[] {
  return ids.filter((id) => reg.gates[id]?.tier === tier);
}
