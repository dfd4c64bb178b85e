import { statSync } from 'node:fs';
import { readRun, listRunIds } from '../../records/run-store.js';
import { runPaths } from '../../records/run-paths.js';
import type { RunSummary } from '../../../state/store.js';
import { activeStep } from '../../../state/selectors.js';

/**
 * The runs screen's rows, newest first. A run is re-read only when its events.jsonl changed size, so
 * refreshing a workspace of thousands of runs costs a stat each.
 */
export function runSummaries(runsDir: string): () => RunSummary[] {
  const cache = new Map<string, { size: number; row: RunSummary }>();
  return () => {
    const rows: RunSummary[] = [];
    for (const id of listRunIds(runsDir).reverse()) {
      try {
        const size = statSync(runPaths(runsDir, id).events).size;
        let hit = cache.get(id);
        if (!hit || hit.size !== size) {
          const r = readRun(runsDir, id);
          hit = {
            size,
            row: {
              run_id: r.run_id,
              workflow: r.workflow.name,
              status: r.status,
              started_at: r.started_at,
              finished_at: r.finished_at,
              current: activeStep({ run: r, steps: [] }),
            },
          };
          cache.set(id, hit);
        }
        rows.push(hit.row);
      } catch {
        // A run folder being created or damaged: `gantry run show` reports it; the list skips it.
      }
    }
    return rows;
  };
}
