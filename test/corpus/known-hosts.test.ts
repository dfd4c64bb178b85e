import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, tmp } from '../support/gantry.js';
import { startSshd, type Sshd } from '../support/sshd.js';

let sshd: Sshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

/** known_hosts contents that must never let gantry connect silently; {name} is the server's `[127.0.0.1]:port`. */
const CASES: Record<string, { text: (name: string, key: string) => string; code: number; message: RegExp }> = {
  'empty file': { text: () => '', code: 4, message: /unknown host key/ },
  'only comments': { text: () => '# nothing\n\n', code: 4, message: /unknown host key/ },
  'garbage lines': { text: () => 'garbage\n\u0000\u0001\n|1|notbase64|alsonot ssh-ed25519 AAAA\n', code: 4, message: /unknown host key/ },
  'another host only': { text: (_n, key) => `other.example ${key}\n`, code: 4, message: /unknown host key/ },
  'wrong key for the host': {
    text: (n) => `${n} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2VmYWtl\n`,
    code: 7,
    message: /HOST KEY CHANGED[\s\S]*kh:1/,
  },
  'revoked key': { text: (n, key) => `@revoked ${n} ${key}\n`, code: 7, message: /@revoked/ },
  'revoked key for every host': { text: (_n, key) => `@revoked * ${key}\n`, code: 7, message: /@revoked/ },
  'host negated by a pattern': { text: (n, key) => `*,!${n} ${key}\n`, code: 4, message: /unknown host key/ },
  'the key under the wrong port': { text: (_n, key) => `[127.0.0.1]:1 ${key}\n`, code: 4, message: /unknown host key/ },
  'a 10 MB line before the entry': { text: (n) => `${'x'.repeat(10 * 1024 * 1024)}\n${n} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2VmYWtl\n`, code: 7, message: /HOST KEY CHANGED/ },
};

describe('known_hosts corpus: malformed or hostile files never let a connection through', () => {
  it.each(Object.entries(CASES))('%s', async (_name, c) => {
    const dir = tmp();
    const kh = join(dir, 'kh');
    writeFileSync(kh, c.text(`[127.0.0.1]:${sshd.port}`, sshd.hostPublicKey));
    const before = createHash('sha256').update(readFileSync(kh)).digest('hex');
    const r = await gantry(['target', 'check', `ssh://${sshd.user}@127.0.0.1:${sshd.port}`], {
      cwd: dir,
      env: { ...sshd.env, GANTRY_KNOWN_HOSTS: kh },
    });
    expect(r.code, r.stderr).toBe(c.code);
    expect(r.stderr).toMatch(c.message);
    expect(r.stderr.match(/^gantry: /gm)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(createHash('sha256').update(readFileSync(kh)).digest('hex')).toBe(before);
  });
});
