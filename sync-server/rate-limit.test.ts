import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    const takes = (n: number): boolean[] => Array.from({ length: n }, () => bucket.take());
    expect(takes(6)).toEqual([true, true, true, true, true, false]);
    now += 100; // 10/s → one token per 100 ms
    expect(takes(2)).toEqual([true, false]);
    now += 250;
    expect(takes(3)).toEqual([true, true, false]);
  });

  it('never stores more than the burst, however long it idles', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 3, () => now);
    now += 60_000;
    expect(Array.from({ length: 4 }, () => bucket.take())).toEqual([true, true, true, false]);
  });

  it('does not refill when the clock goes backwards', () => {
    let now = 1000;
    const bucket = new TokenBucket(10, 1, () => now);
    expect(bucket.take()).toBe(true);
    now = 0;
    expect(bucket.take()).toBe(false);
  });
});

describe('TokenBucket as a byte budget', () => {
  it('lets work start while anything is left, charges its real cost after, and makes the debt wait', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 4000, () => now); // 1000 bytes/s, 4000 burst
    expect(bucket.available).toBe(true);
    bucket.spend(10_000); // one reply larger than the burst: allowed once, leaves a debt
    expect(bucket.available).toBe(false);
    expect(bucket.msUntilAvailable()).toBe(6001);
    now += 6000;
    expect(bucket.available).toBe(false);
    now += 2;
    expect(bucket.available).toBe(true);
    expect(bucket.msUntilAvailable()).toBe(0);
  });

  it('reports full only when nothing was spent recently', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 10, () => now);
    expect(bucket.isFull).toBe(true);
    bucket.spend(5);
    expect(bucket.isFull).toBe(false);
    now += 500;
    expect(bucket.isFull).toBe(true);
  });
});
