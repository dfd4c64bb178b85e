import picomatch from 'picomatch';
import { ExitCode, GantryError } from '../../contracts/errors.js';
import type { WorkItem } from '../../contracts/work-item.js';
import { issueKey } from './contract.js';

export interface PlannedItem {
  issue: string;
  slug: string;
  file: string;
  /** Issues that must merge before this one (its depends_on). */
  after: string[];
  /** 1 for items that depend on nothing; otherwise one more than the deepest dependency. */
  level: number;
}

export interface HotspotOverlap {
  issues: [string, string];
  paths: string[];
}

export interface MergePlan {
  order: PlannedItem[];
  /** Items that neither depend on another nor are depended on: mergeable in any order. */
  independent: string[];
  /** Pairs whose merge_hotspots overlap: merge one, then rebase the other. */
  hotspots: HotspotOverlap[];
}

interface Entry {
  file: string;
  item: WorkItem;
}

const bad = (what: string, hint: string) => new GantryError(ExitCode.INVALID_INPUT, what, { hint });

/** Two hotspot entries overlap when equal or when one (as a glob) matches the other. */
function overlap(a: string, b: string): boolean {
  return a === b || picomatch.isMatch(a, b, { dot: true }) || picomatch.isMatch(b, a, { dot: true });
}

/**
 * The seed's merge rules: respect depends_on (a topological order; ties keep the order the contracts
 * were given in), and flag contracts whose merge_hotspots overlap as needing sequencing.
 */
export function mergeOrder(entries: Entry[]): MergePlan {
  const byKey = new Map<string, Entry>();
  for (const e of entries) {
    const k = issueKey(e.item.identity.issue);
    const seen = byKey.get(k);
    if (seen) throw bad(`issue ${e.item.identity.issue} is declared twice: ${seen.file} and ${e.file}`, 'give each contract its own issue id');
    byKey.set(k, e);
  }
  const unknown = entries.flatMap((e) =>
    e.item.identity.depends_on.filter((d) => !byKey.has(issueKey(d))).map((d) => `${e.item.identity.issue} (${e.file}) depends on ${d}`),
  );
  if (unknown.length)
    throw bad(`unknown issues in depends_on: ${unknown.join('; ')}`, 'pass the contracts of those issues too, or remove merged issues from depends_on');

  const level = new Map<string, number>();
  const order: PlannedItem[] = [];
  const remaining = [...entries];
  while (remaining.length) {
    const i = remaining.findIndex((e) => e.item.identity.depends_on.every((d) => level.has(issueKey(d))));
    if (i === -1) throw bad(`dependency cycle: ${findCycle(remaining, byKey).join(' → ')}`, 'break the cycle in depends_on');
    const [e] = remaining.splice(i, 1) as [Entry];
    const id = e.item.identity;
    const lv = 1 + Math.max(0, ...id.depends_on.map((d) => level.get(issueKey(d))!));
    level.set(issueKey(id.issue), lv);
    order.push({ issue: id.issue, slug: id.slug, file: e.file, after: id.depends_on, level: lv });
  }
  const dependedOn = new Set(entries.flatMap((e) => e.item.identity.depends_on.map(issueKey)));
  const independent = order.filter((p) => p.after.length === 0 && !dependedOn.has(issueKey(p.issue))).map((p) => p.issue);

  const hotspots: HotspotOverlap[] = [];
  entries.forEach((a, i) =>
    entries.slice(i + 1).forEach((b) => {
      const paths = a.item.identity.merge_hotspots.filter((h) => b.item.identity.merge_hotspots.some((g) => overlap(h, g)));
      if (paths.length) hotspots.push({ issues: [a.item.identity.issue, b.item.identity.issue], paths });
    }),
  );
  return { order, independent, hotspots };
}

/** A cycle among entries none of which can be ordered, as issue ids with the first repeated at the end. */
function findCycle(stuck: Entry[], byKey: Map<string, Entry>): string[] {
  const stuckKeys = new Set(stuck.map((e) => issueKey(e.item.identity.issue)));
  const path: string[] = [];
  let k = issueKey(stuck[0]!.item.identity.issue);
  while (!path.includes(k)) {
    path.push(k);
    k = byKey.get(k)!.item.identity.depends_on.map(issueKey).find((d) => stuckKeys.has(d))!;
  }
  const ids = path.slice(path.indexOf(k)).map((x) => byKey.get(x)!.item.identity.issue);
  return [...ids, ids[0]!];
}
