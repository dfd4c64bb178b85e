import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createConsoleStore } from '../../state/store.js';
import { eventStream, GATES, runStarted } from '../state/fixtures.js';
import { feed, KEY, renderConsole } from './harness.js';
import { flowRun } from './cockpit-fixture.js';

afterEach(cleanup);

describe('cockpit', () => {
  it('shows the header, the phase pipeline with symbols, durations and codes, the live log and the keys', async () => {
    const r = await renderConsole(flowRun().store);
    const f = await r.until((x) => x.includes('P60 SWEEP'));
    expect(f).toContain('config gantry/workflow.env');
    expect(f).toContain('sha256 abcdef012345');
    expect(f).toContain('transport ssh');
    expect(f).toMatch(/target gpu-7:22\s+source autobind\s+FSM -\s+flow flow_42/);
    expect(f).toMatch(/✓ P00 PRECHECK\s+1\.5s\s+0/);
    expect(f).toMatch(/✗ P20 TARGET_BIND\s+1\.5s\s+203/);
    expect(f).toMatch(/▶ P60 SWEEP/);
    expect(f).toMatch(/· P99 SUMMARY/);
    expect(f).toContain('log steps/P60 · 2 lines · following');
    expect(f).toContain('step 1/5 \x1b[32mloss=1.9');
    expect(f).not.toContain('pwned');
    expect(f).not.toMatch(/\x1b\]|\x1b\[2J/);
    expect(f).toContain('tab focus log · ↑/↓ step · enter open · s pause · / search · w wrap · ^S save · ? help · q quit');
  });

  it('moving the selection shows that step’s log and its verdict: DET, CONST, verdict, laws, remediation, next', async () => {
    const r = await renderConsole(flowRun().store);
    await r.press(KEY.up);
    const f = await r.until((x) => x.includes('log steps/P20'));
    expect(f).toContain('Connection refused');
    expect(f).toMatch(/P20 TARGET_BIND\s+DET fail\s+CONST unverified\s+VERDICT fail\s+laws LAW_2/);
    expect(f).toContain('remediation target unreachable');
    expect(f).toContain('next gantry flow --provision skip');
    await r.press('k');
    const g = await r.until((x) => x.includes('run events'));
    expect(g).toMatch(/P00 PRECHECK\s+DET pass\s+CONST pass\s+VERDICT pass\s+laws -/);
    expect(g).toContain('remediation -');
  });

  it('Tab moves the focus to the log pane, where the arrows scroll', async () => {
    const { store } = flowRun();
    feed(store, [], { 'steps/P60': Array.from({ length: 200 }, (_, i) => `tick ${i}`) });
    const r = await renderConsole(store);
    await r.press(KEY.tab);
    await r.until((x) => x.includes('tab focus pipeline'));
    await r.press(KEY.up, KEY.up);
    expect(await r.until((x) => x.includes('paused at 200'))).toContain('tick 197');
    await r.press('G');
    await r.until((x) => x.includes('202 lines · following'));
  });

  it('v switches between the step log and the run events', async () => {
    const r = await renderConsole(flowRun().store);
    await r.press('v');
    await r.until((x) => x.includes('run events ·'));
    await r.press('v');
    await r.until((x) => x.includes('log steps/P60'));
  });

  it('? lists every key of the screen; Esc closes it', async () => {
    const r = await renderConsole(flowRun().store);
    await r.press('?');
    const f = await r.until((x) => x.includes('help · cockpit'));
    for (const k of ['Tab', '↑ k', '↓ j', 'Enter', 'a ', 'v ', 's ', 'PgUp', 'PgDn', 'g Home', 'G End', '/ ', 'n ', 'N ', 'w ', 't ', 'm ', 'Ctrl-S', '? ', 'q ', 'Ctrl-C'])
      expect(f, k).toContain(` ${k}`);
    expect(f).toContain('cancel the run (recorded CANCELED; remote tasks are left running) and leave');
    await r.press(KEY.esc);
    await r.until((x) => x.includes('P60 SWEEP'));
  });

  it('below 80×24 shows a one-line notice, and comes back when the terminal grows', async () => {
    const r = await renderConsole(flowRun().store);
    await r.resize(70, 20);
    const f = await r.until((x) => x.includes('too small'));
    expect(f.trim()).toBe('terminal too small: 70×20, gantry needs 80×24 — enlarge it (q leaves)');
    await r.resize(100, 30);
    await r.until((x) => x.includes('P60 SWEEP'));
  });

  it('q leaves at once when no gate would be left waiting; Ctrl-C goes to the engine', async () => {
    const r = await renderConsole(flowRun('watch').store);
    await r.press('q');
    expect(r.called('quit')).toHaveLength(1);
    await r.press(KEY.ctrlC);
    expect(r.called('interrupt')).toHaveLength(1);
  });

  it('q asks first when this process runs the run and a gate waits on it', async () => {
    const store = createConsoleStore();
    store.getState().attach('owned', ['cockpit']);
    const ev = eventStream();
    feed(store, [
      ev(runStarted(GATES)),
      ev({ type: 'gate.started', gate: 'G1', name: 'Intake Approval', attempt: 1, agent: 'human' }),
      ev({ type: 'gate.waiting', gate: 'G1', attempt: 1, packet: 'logs/gates/G1/prompt.txt', answer_with: [] }),
    ]);
    const r = await renderConsole(store);
    expect(await r.until((x) => x.includes('G1 is waiting for an answer — press a'))).toContain('a answer G1');
    await r.press('q');
    expect(await r.until((x) => x.includes('Leave the console?'))).toContain('G1 is waiting for an answer. Leave the console? The run keeps waiting');
    await r.press('n');
    await r.until((x) => !x.includes('Leave the console?'));
    expect(r.called('quit')).toHaveLength(0);
    await r.press('q', 'y');
    expect(r.called('quit')).toHaveLength(1);
  });
});

describe("the engine's questions", () => {
  it('a yes/no question (a consent) is answered with y, anything else says no', async () => {
    const { store } = flowRun();
    const r = await renderConsole(store);
    store.getState().startPrompt('question', '', 'Provision a pod with: ./provision.sh ?');
    await r.until((x) => x.includes('Provision a pod with: ./provision.sh ?  y/N'));
    await r.press('y');
    store.getState().startPrompt('question', '', 'Delete pod p-1 (gpu-7)?');
    await r.until((x) => x.includes('Delete pod p-1 (gpu-7)?  y/N'));
    await r.press('q');
    expect(r.called('answerQuestion')).toEqual([[true], [false]]);
    expect(r.called('quit')).toHaveLength(0);
  });

  it('a secret (a key passphrase) is typed masked; Esc declines', async () => {
    const { store } = flowRun();
    const r = await renderConsole(store);
    store.getState().startPrompt('secret', '', 'passphrase for ~/.ssh/id_ed25519:');
    await r.until((x) => x.includes('passphrase for ~/.ssh/id_ed25519:'));
    await r.press('h', 'u', 'n', 't', 'e', 'r', '2');
    const f = await r.until((x) => x.includes('•••••••█'));
    expect(f).not.toContain('hunter2');
    await r.press(KEY.enter);
    store.getState().startPrompt('secret', '', 'passphrase again:');
    await r.until((x) => x.includes('passphrase again:'));
    await r.press('x', KEY.esc);
    expect(r.called('answerQuestion')).toEqual([['hunter2'], [undefined]]);
  });
});
