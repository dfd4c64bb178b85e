import { afterEach, describe, expect, it, vi } from 'vitest';

// Colour output is forced on for this file (vitest's stdout is no terminal), so that its absence means NO_COLOR.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { cleanup } = await import('ink-testing-library');
const { renderConsole } = await import('./harness.js');
const { flowRun } = await import('./cockpit-fixture.js');

afterEach(cleanup);

const COLOUR = /\x1b\[(3[0-79]|9[0-7]|4[0-79]|10[0-7]|38|48)[;m]/;

describe('NO_COLOR', () => {
  it('with colour on, statuses and borders are coloured', async () => {
    const r = await renderConsole(flowRun('owned', true).store);
    expect(await r.until((x) => x.includes('P60'))).toMatch(COLOUR);
  });

  it('with NO_COLOR the console draws no colour at all, log colours included', async () => {
    const { store } = flowRun('owned', false);
    const r = await renderConsole(store);
    const f = await r.until((x) => x.includes('P60'));
    expect(f).not.toMatch(COLOUR);
    expect(f).toMatch(/✓.*P00/);
    expect(f).toMatch(/✗.*P20/);
    // Meaning that does not rest on colour stays: a search hit is drawn in reverse video.
    await r.press('/', 'l', 'o', 's', 's', '\r');
    expect(await r.until((x) => x.includes('paused at'))).toMatch(/\x1b\[7m(\x1b\[1m)?loss/);
  });
});
