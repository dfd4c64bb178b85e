import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ExitCode, GantryError } from '../../../contracts/errors.js';
import { SweepRow } from '../../../contracts/flow.js';

export const SWEEP_HEADER = ['run_id', 'config', 'seed', 'overrides', 'notes'] as const;

/**
 * Parses the sweep manifest `run_id,config,seed,overrides,notes` (RFC 4180 quoting, so overrides may hold
 * commas). Every problem names its line; all of them are reported at once.
 */
export function parseSweepCsv(text: string, path: string): SweepRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, comment: '#', comment_no_infix: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new GantryError(ExitCode.INVALID_INPUT, `sweep manifest is not valid CSV: ${err.message}`, {
      where: `${path}${err.lines ? `:${err.lines}` : ''}`,
      hint: `each line is ${SWEEP_HEADER.join(',')}; quote fields that hold commas`,
    });
  }
  const [head, ...rows] = records;
  if (!head || head.record.join(',') !== SWEEP_HEADER.join(','))
    throw new GantryError(ExitCode.INVALID_INPUT, `sweep manifest must start with the header ${SWEEP_HEADER.join(',')}`, {
      where: `${path}:${head?.info.lines ?? 1}`,
      hint: 'print a template with `gantry sweep template`',
    });
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const out: SweepRow[] = [];
  for (const { record, info } of rows) {
    const candidate = Object.fromEntries(SWEEP_HEADER.map((k, i) => [k, record[i] ?? '']));
    const r = SweepRow.safeParse(candidate);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push(`${path}:${info.lines}: ${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const first = seen.get(r.data.run_id);
    if (first !== undefined) problems.push(`${path}:${info.lines}: run_id: "${r.data.run_id}" repeats line ${first}`);
    seen.set(r.data.run_id, info.lines);
    out.push(r.data);
  }
  if (out.length === 0 && problems.length === 0) problems.push(`${path}: the manifest has no rows`);
  if (problems.length)
    throw new GantryError(ExitCode.INVALID_INPUT, `sweep manifest is invalid:\n  ${problems.join('\n  ')}`, {
      where: path,
      hint: 'fix the listed lines',
    });
  return out;
}

export function readSweepCsv(path: string): { rows: SweepRow[]; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GantryError(ExitCode.INVALID_INPUT, `cannot read the sweep manifest: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      where: path,
      hint: 'set SWEEP_CSV in workflow.env to an existing CSV file (`gantry sweep template` prints one)',
    });
  }
  return { rows: parseSweepCsv(text, path), text };
}
