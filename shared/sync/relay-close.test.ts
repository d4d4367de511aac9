import { describe, expect, it } from 'vitest';
import { DEFAULT_BUSY_RETRY_S, MAX_RETRY_S, readClose, retryAfterSeconds } from './relay-close';

const NOW = 1_700_000_000_000;

describe('retryAfterSeconds', () => {
  it('reads the whole seconds of retry-after=<n>', () => {
    expect(retryAfterSeconds('relay busy; retry-after=42')).toBe(42);
    expect(retryAfterSeconds('author quota reached; retry-after=0')).toBe(0);
  });
  it('ignores anything else, and caps absurd waits', () => {
    expect(retryAfterSeconds('relay busy')).toBeUndefined();
    expect(retryAfterSeconds('retry-after=-5')).toBeUndefined();
    expect(retryAfterSeconds('retry-after=abc')).toBeUndefined();
    expect(retryAfterSeconds(`retry-after=${'9'.repeat(40)}`)).toBeUndefined();
    expect(retryAfterSeconds('retry-after=999999')).toBe(MAX_RETRY_S);
  });
});

describe('readClose', () => {
  it('4401 stops for good with invite_key_mismatch', () => {
    const v = readClose(4401, 'invite key does not match this group', NOW);
    expect(v.action).toBe('stop');
    expect(v.error).toMatchObject({ code: 'invite_key_mismatch', closeCode: 4401 });
  });
  it('4429 and 4503 wait for retry-after, or a default', () => {
    expect(readClose(4429, 'relay busy; retry-after=7', NOW)).toMatchObject({
      action: 'wait',
      error: { code: 'relay_busy', retryAt: NOW + 7000 },
    });
    expect(readClose(4503, 'relay busy', NOW)).toMatchObject({
      action: 'wait',
      error: { code: 'relay_busy', retryAt: NOW + DEFAULT_BUSY_RETRY_S * 1000 },
    });
  });
  it('4403 (room not served by a LAN relay) waits for retry-after, or 60 s', () => {
    expect(readClose(4403, 'room not served by this relay; retry-after=60', NOW)).toMatchObject({
      action: 'wait',
      error: { code: 'refused', retryAt: NOW + 60_000, closeCode: 4403 },
    });
    expect(readClose(4403, '', NOW)).toMatchObject({ action: 'wait', error: { retryAt: NOW + 60_000 } });
  });
  it('4413 tells room size from author quota, and waits 300 s by default', () => {
    expect(readClose(4413, 'room size limit reached', NOW)).toMatchObject({
      action: 'wait',
      error: { code: 'room_full', retryAt: NOW + 300_000 },
    });
    expect(readClose(4413, 'author quota reached; retry-after=60', NOW)).toMatchObject({
      action: 'wait',
      error: { code: 'author_quota', retryAt: NOW + 60_000 },
    });
  });
  it('everything else backs off; only closes with a reason worth showing carry an error', () => {
    expect(readClose(4400, 'update refused: too big', NOW)).toMatchObject({
      action: 'backoff',
      error: { code: 'refused' },
    });
    expect(readClose(1013, 'client is not reading fast enough', NOW).error?.code).toBe('refused');
    expect(readClose(1008, 'rate limit exceeded', NOW).error?.code).toBe('refused');
    expect(readClose(1006, '', NOW)).toEqual({ action: 'backoff' });
    expect(readClose(4500, 'room data damaged; healing', NOW)).toEqual({ action: 'backoff' });
  });
});
