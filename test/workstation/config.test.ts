import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/gantry.js';
import { workstationProject } from './fixture.js';

describe('workstation.toml', () => {
  it('the shipped example is a valid config (its thresholds are the defaults, 8 cores and 60 GB)', async () => {
    const p = await workstationProject();
    copyFileSync(join(REPO_ROOT, 'configs/workstation.example.toml'), join(p.ws, 'workstation.toml'));
    const r = await p.cli(['preflight', '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).thresholds).toEqual({ min_cores: 8, min_mem_gb: 60, require_clean: false });
  });

  it('a wrong value is reported with its file, line and key', async () => {
    const p = await workstationProject();
    writeFileSync(join(p.ws, 'workstation.toml'), '[preflight]\nmin_cores = "eight"\n');
    const r = await p.cli(['preflight']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${join(p.ws, 'workstation.toml')}:2: preflight.min_cores`);
    writeFileSync(join(p.ws, 'workstation.toml'), '[preflight\n');
    const syntax = await p.cli(['preflight']);
    expect(syntax.code).toBe(3);
    expect(syntax.stderr).toMatch(/workstation config is not valid TOML[\s\S]*workstation\.toml:1:/);
  });
});
