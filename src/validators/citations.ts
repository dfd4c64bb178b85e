/**
 * How `min_sources` counts: one source per line that is a list item (`-`, `*`, `+`, `1.`) or a
 * reference label (`[1]`, `[^1]:`) AND carries a URL (http/https) or a DOI. Lines inside fenced code
 * blocks do not count; the same URL or DOI twice counts once.
 */
export function countSources(text: string): number {
  const seen = new Set<string>();
  let fenced = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('```') || line.startsWith('~~~')) {
      fenced = !fenced;
      continue;
    }
    if (fenced || !/^([-*+]\s|\d+[.)]\s|\[\^?\w+\]:?\s)/.test(line)) continue;
    const ref = line.match(/https?:\/\/[^\s)>\]]+|\bdoi:\s*\S+|\b10\.\d{4,9}\/\S+/i);
    if (ref) seen.add(ref[0].toLowerCase().replace(/[.,;]+$/, ''));
  }
  return seen.size;
}
