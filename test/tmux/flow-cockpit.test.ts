import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tmp } from '../support/gantry.js';
import { GANTRY, Tmux } from './tmux.js';

let tmux: Tmux | undefined;
afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
});

describe('gantry flow opens its cockpit in a terminal (tmux)', () => {
  it('the demo flow shows its pipeline advancing to PASSED, then q gives the shell its screen back', async () => {
    const dir = tmp();
    tmux = new Tmux();
    await tmux.start(dir);
    const pane = 't:0.0';
    await tmux.run(pane, `${GANTRY} demo --dir ${join(dir, 'demo')}`);
    const early = await tmux.waitFor(pane, /✓ P00 PRECHECK/, 45_000, 'P00 passed in the pipeline');
    expect(await tmux.alternateOn(pane)).toBe(true);
    expect(early).toContain('P99 SUMMARY');
    const done = await tmux.waitFor(pane, /PASSED — press q to leave/, 60_000, 'the flow to pass');
    for (const phase of ['P20 TARGET_BIND', 'P50 CHECKOUT', 'P60 SWEEP', 'P70 MONITOR', 'P80 FETCH']) expect(done).toMatch(new RegExp(`✓ ${phase}`));
    expect(done).toMatch(/loss=/);
    await tmux.keys(pane, 'q');
    const after = await tmux.waitForPrompt(pane);
    expect(await tmux.alternateOn(pane)).toBe(false);
    expect(await tmux.lastExitCode(pane)).toBe(0);
    expect(after).toMatch(/FLOW=run_\S+ STATUS=passed/);
    const runs = join(dir, 'demo', 'gantry', 'runs');
    const [id] = readdirSync(runs);
    expect(JSON.parse(readFileSync(join(runs, id!, 'record', 'flow.summary.json'), 'utf8')).status).toBe('passed');
  });
});
