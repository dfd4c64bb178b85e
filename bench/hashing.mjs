// SHA-256 of a large file: gantry's streamed hash against coreutils `sha256sum` on the same file.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dist, fmt, header, median, tempDir } from './lib.mjs';

const MIB = Number(process.env.BENCH_HASH_MIB ?? 1024);
const N = Number(process.env.BENCH_HASH_RUNS ?? 3);
header(`hashing (${MIB} MiB file, median of ${N})`);
const { sha256File } = await dist('src/records/hash.js');
const file = `${tempDir()}/blob.bin`;
const fd = openSync(file, 'w');
const chunk = randomBytes(1 << 20);
for (let i = 0; i < MIB; i++) writeSync(fd, chunk);
closeSync(fd);

execFileSync('sha256sum', [file]); // warm the page cache for both
const ours = [];
const theirs = [];
let a, b;
for (let i = 0; i < N; i++) {
  let t = performance.now();
  a = await sha256File(file);
  ours.push(performance.now() - t);
  t = performance.now();
  b = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  theirs.push(performance.now() - t);
}
rmSync(file);
const g = median(ours);
const s = median(theirs);
console.log(`sha256sum      ${fmt(s)}  ${(MIB / (s / 1000)).toFixed(0)} MiB/s   (reference)`);
console.log(`gantry         ${fmt(g)}  ${(MIB / (g / 1000)).toFixed(0)} MiB/s   speed ratio ${(s / g).toFixed(2)}× sha256sum (target ≥ 1.5×)`);
console.log(`digests equal: ${a === b}`);
