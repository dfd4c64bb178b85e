import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { Tier } from '../../contracts/gate-registry.js';
import type { WorkItem } from '../../contracts/work-item.js';
import { expandBundle, requireGate, type LoadedRegistry } from './registry.js';

export interface Selection {
  ids: string[];
  bundle: string | undefined;
  contract: WorkItem | undefined;
  tier: Tier | undefined;
}

export interface SelectedGates {
  /** Command gates to run, tier A first, each once. */
  run: string[];
  /** Perf gates that were part of the selection: judged by `gantry perf delta`, not run. */
  perf: string[];
}

/**
 * `gates run` picks gates by ID, by bundle, or from a contract's `gates.required`; `--tier` narrows any of
 * them. Unknown IDs are refused before anything runs.
 */
export function selectGates(reg: LoadedRegistry, sel: Selection): SelectedGates {
  const sources = [sel.ids.length > 0, sel.bundle !== undefined].filter(Boolean).length;
  if (sources > 1) throw new GantryError(ExitCode.USAGE, 'name gates either by ID or with --bundle, not both');
  if (sources === 0 && !sel.contract) throw new GantryError(ExitCode.USAGE, 'which gates? name gate IDs, --bundle <name>, or --contract <file> --tier A|B');
  if (sources === 0 && !sel.tier) throw new GantryError(ExitCode.USAGE, '--contract without gate IDs or --bundle needs --tier A|B');
  const named = sel.ids.length ? sel.ids : sel.bundle !== undefined ? expandBundle(reg.registry, sel.bundle) : sel.contract!.gates.required;
  const picked = [...new Set(named)].map((id) => ({ id, gate: requireGate(reg, id) })).filter(({ gate }) => !sel.tier || gate.tier === sel.tier);
  const ids = (keep: (g: (typeof picked)[number]['gate']) => boolean) => picked.filter(({ gate }) => keep(gate)).map(({ id }) => id);
  return {
    run: [...ids((g) => g.tier === 'A' && g.kind === 'command'), ...ids((g) => g.tier === 'B' && g.kind === 'command')],
    perf: ids((g) => g.kind === 'perf'),
  };
}
