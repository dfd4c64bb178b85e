import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { createConsoleStore } from '../../state/store.js';
import { eventStream, GATES, runStarted } from '../state/fixtures.js';
import { feed, KEY, renderConsole } from './harness.js';

afterEach(cleanup);

const PACKET = ['# Prompt packet — G1 Intake Approval (attempt 1)', '', '## Required outputs', '- essay/intake/BRIEF.md', ...Array.from({ length: 80 }, (_, i) => `detail line ${i + 1}`), '## When done', 'the end of the packet'].join('\n');

function gateWaiting() {
  const store = createConsoleStore();
  store.getState().attach('owned', ['cockpit']);
  const ev = eventStream();
  feed(store, [
    ev(runStarted(GATES)),
    ev({ type: 'gate.started', gate: 'G1', name: 'Intake Approval', attempt: 1, agent: 'human' }),
    ev({ type: 'gate.waiting', gate: 'G1', attempt: 1, packet: 'logs/gates/G1/prompt.txt', answer_with: [] }),
  ]);
  store.getState().setGatePacket('G1', PACKET);
  store.getState().setGateOutputs('G1', [{ path: 'essay/intake/BRIEF.md', exists: false }]);
  return { store, ev };
}

describe('gate packet screen', () => {
  it('approve: the packet, outputs ticking ✓ as files appear, f finishes, the result returns to the cockpit', async () => {
    const { store, ev } = gateWaiting();
    const r = await renderConsole(store);
    await r.press('a');
    let f = await r.until((x) => x.includes('gate G1 Intake Approval · attempt 1 · WAITING'));
    expect(f).toContain('# Prompt packet — G1 Intake Approval (attempt 1)');
    expect(f).toContain('required outputs · 0/1 present');
    expect(f).toContain('✗ essay/intake/BRIEF.md');
    expect(f).toContain('↑/↓ scroll · f finish · x fail · o pager · esc back · ? help · q quit');
    store.getState().setGateOutputs('G1', [{ path: 'essay/intake/BRIEF.md', exists: true }]);
    f = await r.until((x) => x.includes('1/1 present'));
    expect(f).toContain('✓ essay/intake/BRIEF.md');
    await r.press('f');
    expect(r.called('answerGate')).toEqual([['G1', 1, { action: 'finish' }]]);
    await r.until((x) => x.includes('finish requested for G1: running its validations…'));
    await r.press('f');
    await r.until((x) => x.includes('G1 was answered; waiting for its result'));
    expect(r.called('answerGate')).toHaveLength(1);
    feed(store, [
      ev({ type: 'gate.answer_requested', gate: 'G1', action: 'finish', reason: null, by: 'console' }),
      ev({
        type: 'gate.finished',
        gate: 'G1',
        attempt: 1,
        status: 'PASS',
        attempt_file: 'record/gates/G1/attempt-1.json',
        failure_reason: null,
        artifacts: [],
        validations: [{ type: 'contains_headings', path: 'essay/intake/BRIEF.md', pass: true, severity: 'fail', detail: 'all headings present' }],
      }),
    ]);
    f = await r.until((x) => x.includes('G1 PASS'));
    expect(f).toMatch(/✓ G1\s+Intake Approval/);
    expect(f).toMatch(/G1 Intake Approval\s+DET -\s+CONST -\s+VERDICT pass/);
    expect(f).toContain('checks ✓ contains_headings essay/intake/BRIEF.md');
  });

  it('fail: x asks for a reason, which must be typed; Enter fails the gate with it', async () => {
    const { store } = gateWaiting();
    const r = await renderConsole(store);
    await r.press('a', 'x');
    await r.until((x) => x.includes('reason for failing'));
    await r.press(KEY.enter);
    await r.until((x) => x.includes('type the reason the gate fails'));
    expect(r.called('answerGate')).toHaveLength(0);
    await r.press('n', 'o', ' ', 's', 'o', 'u', 'r', 'c', 'e', 'x', KEY.backspace, 's');
    await r.until((x) => x.includes('reason for failing (enter to fail the gate, esc to cancel): no sources█'));
    await r.press(KEY.enter);
    expect(r.called('answerGate')).toEqual([['G1', 1, { action: 'fail', reason: 'no sources' }]]);
    await r.until((x) => x.includes('fail requested for G1: no sources'));
  });

  it('keys that arrive together (typed faster than read, or pasted) each count', async () => {
    const { store } = gateWaiting();
    const r = await renderConsole(store);
    await r.press('ax');
    await r.until((x) => x.includes('reason for failing'));
    await r.press('pasted reason\r');
    expect(r.called('answerGate')).toEqual([['G1', 1, { action: 'fail', reason: 'pasted reason' }]]);
  });

  it('Esc cancels the reason prompt without failing anything', async () => {
    const { store } = gateWaiting();
    const r = await renderConsole(store);
    await r.press('a', 'x', 'o', 'o', 'p', 's', KEY.esc);
    await r.until((x) => !x.includes('reason for failing'));
    expect(r.called('answerGate')).toHaveLength(0);
  });

  it('scrolls the packet, and opens it in the pager or the editor', async () => {
    const { store } = gateWaiting();
    const r = await renderConsole(store);
    await r.press('a');
    await r.until((x) => x.includes('packet line 1/'));
    await r.press('j', 'j', KEY.pgdn);
    let f = await r.until((x) => x.includes('packet line 3'));
    expect(f).not.toContain('# Prompt packet');
    await r.press('G');
    f = await r.until((x) => x.includes('the end of the packet'));
    await r.press('g');
    await r.until((x) => x.includes('# Prompt packet'));
    await r.press('o', 'e');
    expect(r.called('openPacket')).toEqual([
      ['logs/gates/G1/prompt.txt', 'pager'],
      ['logs/gates/G1/prompt.txt', 'editor'],
    ]);
    await r.press(KEY.esc);
    await r.until((x) => x.includes('G1 is waiting for an answer'));
  });

  it('Enter on a gate in the pipeline opens its packet too', async () => {
    const { store } = gateWaiting();
    const r = await renderConsole(store);
    await r.press(KEY.enter);
    await r.until((x) => x.includes('gate G1 Intake Approval'));
  });
});
