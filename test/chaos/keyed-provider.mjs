#!/usr/bin/env node
// A provider for chaos tests that honours gantry's idempotency key: `provision` with the same
// $GANTRY_PROVISION_KEY prints the pod it already rented for that key instead of renting another (the
// way a cloud API's client token works). Renting itself is the flow tests' provider
// (test/flow/fixtures/provider.mjs, a fresh sshd per pod). Every request and every real rental is
// appended to $CHAOS_LEDGER, so a test can count them.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PROVIDER = new URL('../flow/fixtures/provider.mjs', import.meta.url).pathname;
const [verb, ...rest] = process.argv.slice(2);
// Keys live beside the ledger, not among the fixture's pod files.
const keysDir = join(dirname(process.env.CHAOS_LEDGER), 'keys');
mkdirSync(keysDir, { recursive: true });
const key = process.env.GANTRY_PROVISION_KEY ?? '';
const note = (line) => appendFileSync(process.env.CHAOS_LEDGER, `${line}\n`);
const delegate = (args, stdio) => spawnSync('node', [PROVIDER, ...args], { stdio, encoding: 'utf8' });

/** One rental per key at a time (a mkdir lock; this provider is never killed, gantry is). */
async function withKeyLock(fn) {
  const lock = join(keysDir, `${key}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (verb === 'provision') {
  note(`request ${key || '-'}`);
  const rent = () => {
    note(`rent ${key || '-'}`);
    const r = delegate(['provision'], ['ignore', 'pipe', 'inherit']);
    if (r.status !== 0) process.exit(r.status ?? 1);
    return r.stdout;
  };
  if (!key) process.stdout.write(rent());
  else {
    const saved = join(keysDir, `${key}.out`);
    const out = await withKeyLock(() => {
      if (existsSync(saved)) return readFileSync(saved, 'utf8');
      const text = rent();
      writeFileSync(`${saved}.tmp`, text);
      renameSync(`${saved}.tmp`, saved);
      return text;
    });
    process.stdout.write(out);
  }
} else {
  note(`${verb} ${rest.join(' ')}`);
  const r = delegate([verb, ...rest], 'inherit');
  process.exit(r.status ?? 1);
}
