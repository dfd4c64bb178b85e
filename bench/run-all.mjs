// `npm run bench`: every benchmark in bench/, one after another, each printing its figures and reference.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith('.mjs') || f === 'run-all.mjs' || f === 'lib.mjs') continue;
  if (only.length && !only.some((o) => f.startsWith(o))) continue;
  execFileSync('node', [`${dir}${f}`], { stdio: 'inherit' });
}
