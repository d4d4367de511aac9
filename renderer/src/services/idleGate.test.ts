import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleGate } from './idleGate';

describe('IdleGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function gate(paint: (run: () => void) => void = (run) => setTimeout(run, 16)) {
    const idle = vi.fn((run: () => void) => setTimeout(run, 5));
    const g = new IdleGate({
      quietMs: 1_000,
      maxWaitMs: 5_000,
      now: () => Date.now(),
      setTimer: (run, ms) => {
        setTimeout(run, ms);
      },
      afterPaint: paint,
      whenIdle: idle,
    });
    return { g, idle };
  }

  function watch(p: Promise<void>): { done: boolean } {
    const state = { done: false };
    void p.then(() => {
      state.done = true;
    });
    return state;
  }

  it('waits for a paint, a pause and an idle moment', async () => {
    const { g, idle } = gate();
    const w = watch(g.wait());
    await vi.advanceTimersByTimeAsync(990);
    expect(w.done).toBe(false);
    expect(idle).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(20);
    expect(idle).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5);
    expect(w.done).toBe(true);
  });

  it('lets each input postpone the work by the quiet time', async () => {
    const { g } = gate();
    const w = watch(g.wait());
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(800);
      g.input();
    }
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(990);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(w.done).toBe(true);
  });

  it('never waits longer than the cap, however busy the user is', async () => {
    const { g } = gate();
    const w = watch(g.wait());
    for (let t = 0; t < 4_900; t += 100) {
      await vi.advanceTimersByTimeAsync(100);
      g.input();
    }
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(w.done).toBe(true);
  });

  it('resolves at the cap when no frame is ever painted', async () => {
    const { g } = gate(() => undefined);
    const w = watch(g.wait());
    await vi.advanceTimersByTimeAsync(4_999);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.done).toBe(true);
  });

  it('counts the quiet time from the call, however long the user was quiet before', async () => {
    const { g } = gate();
    await vi.advanceTimersByTimeAsync(3_000);
    const w = watch(g.wait());
    await vi.advanceTimersByTimeAsync(990);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(w.done).toBe(true);
  });
});
