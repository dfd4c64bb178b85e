/**
 * Where keys sit in a TOML file. smol-toml gives positions for syntax errors only, so schema errors are
 * placed by reading table headers (`[gates."cpu:import"]`) and `key =` lines: good enough to point at the
 * line a person has to fix.
 */
const KEY_PART = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)`;
const DOTTED = String.raw`${KEY_PART}(?:\s*\.\s*${KEY_PART})*`;
const HEADER = new RegExp(String.raw`^\s*\[\[?\s*(${DOTTED})\s*\]\]?\s*(?:#.*)?$`);
const ASSIGN = new RegExp(String.raw`^\s*(${DOTTED})\s*=`);
const PART = new RegExp(KEY_PART, 'g');

function splitKey(dotted: string): string[] {
  return [...dotted.matchAll(PART)].map(([p]) =>
    p.startsWith('"') ? (JSON.parse(p) as string) : p.startsWith("'") ? p.slice(1, -1) : p,
  );
}

export type LineFinder = (path: readonly PropertyKey[]) => number | undefined;

export function tomlLineFinder(text: string): LineFinder {
  const lines = new Map<string, number>();
  let table: string[] = [];
  text.split('\n').forEach((line, i) => {
    const header = HEADER.exec(line);
    const assign = header ? null : ASSIGN.exec(line);
    const path = header ? (table = splitKey(header[1]!)) : assign ? [...table, ...splitKey(assign[1]!)] : undefined;
    if (!path) return;
    const key = path.join('\0');
    if (!lines.has(key)) lines.set(key, i + 1);
  });
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const line = lines.get(path.slice(0, n).map(String).join('\0'));
      if (line !== undefined) return line;
    }
    return undefined;
  };
}
