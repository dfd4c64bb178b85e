import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowProject } from './harness.js';

describe('secrets planted in config, environment, command arguments and logs reach no record file', () => {
  it('a whole flow on the local target keeps every planted secret out of record/', async () => {
    const inConfig = 'cfg-secret-7d1f9a2b3c';
    const inEnv = 'env-secret-0e4d8c6a5b';
    const inArgs = 'ghp_' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8';
    const p = await flowProject({ LIUM_TARGET: 'local' }, { TRAINING_API_TOKEN: inEnv });
    p.configure({
      WANDB_API_KEY: inConfig,
      SWEEP_CMD_TEMPLATE: `echo "token ${inArgs} env $TRAINING_API_TOKEN cfg ${inConfig}" && sh train.sh --run-id {run_id} --out {run_dir} --api-key ${inArgs}`,
    });
    const r = await p.flow(['--provision', 'skip', '--wait', 'true', '--fetch', 'all']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const record = join(p.runDir(), 'record');
    const files = readdirSync(record, { recursive: true, encoding: 'utf8' }).filter((f) => !f.endsWith('/'));
    let scanned = 0;
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(join(record, f), 'utf8');
      } catch {
        continue;
      }
      scanned++;
      for (const secret of [inConfig, inEnv, inArgs]) expect(text, `${f} holds a secret`).not.toContain(secret);
    }
    expect(scanned).toBeGreaterThan(20);
    for (const secret of [inConfig, inEnv, inArgs]) expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
