import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFeed } from '../../state/feed.js';
import { createConsoleStore } from '../../state/store.js';
import { eventStream, runStarted, stepStarted } from './fixtures.js';

describe('the feed batches engine output before it reaches the store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns a flood of events and lines into one store update per 33 ms', () => {
    const store = createConsoleStore();
    let updates = 0;
    store.subscribe(() => updates++);
    const feed = createFeed(store);
    const ev = eventStream();
    feed.event(ev(runStarted()));
    for (let i = 0; i < 1000; i++) feed.lines('steps/P00', [`line ${i}`]);
    feed.event(ev(stepStarted('P00')));
    expect(updates).toBe(0);
    vi.advanceTimersByTime(33);
    expect(updates).toBe(1);
    expect(store.getState().run?.phases.find((p) => p.step === 'P00')?.status).toBe('running');
    expect(store.getState().logs.get('steps/P00')!.total).toBe(1000);
    for (let i = 0; i < 100; i++) feed.lines('steps/P00', ['more']);
    vi.advanceTimersByTime(100);
    expect(updates).toBe(2);
  });

  it('holds no more than the store could keep, but counts every line', () => {
    const store = createConsoleStore({ ringCapacity: 10 });
    const feed = createFeed(store);
    for (let i = 0; i < 500; i++) feed.lines('k', [`a${i}`, `b${i}`]);
    feed.flush();
    const ring = store.getState().logs.get('k')!;
    expect(ring.total).toBe(1000);
    expect(ring.range(ring.first, ring.last).map((l) => l.text)).toEqual(['a495', 'b495', 'a496', 'b496', 'a497', 'b497', 'a498', 'b498', 'a499', 'b499']);
  });

  it('takes nothing after close', () => {
    const store = createConsoleStore();
    const feed = createFeed(store);
    feed.lines('k', ['before']);
    feed.close();
    feed.lines('k', ['after']);
    vi.advanceTimersByTime(100);
    expect(store.getState().logs.get('k')!.total).toBe(1);
  });
});
