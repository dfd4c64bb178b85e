import { describe, expect, it } from 'vitest';
import { newRunId, RUN_ID_PATTERN } from '../../src/records/run-paths.js';

describe('run ids', () => {
  it('keep the run_<UTC time>_<slug>_<6 hex> form', () => {
    expect(newRunId('The Word: Robot!', new Date('2026-01-19T14:30:12.345Z'), 0xabc)).toBe('run_20260119T143012Z_the-word-robot_159abc');
    expect(newRunId('x')).toMatch(RUN_ID_PATTERN);
  });

  it('sort in creation order, also within one second whatever their random part', () => {
    const t = Date.parse('2026-01-19T14:30:12.000Z');
    const ids = [0, 1, 250, 999].map((ms, i) => newRunId('flow', new Date(t + ms), 0xfff - i * 0x400));
    expect([...ids].sort()).toEqual(ids);
    expect(newRunId('flow', new Date(t + 1000), 0) > ids.at(-1)!).toBe(true);
  });
});
