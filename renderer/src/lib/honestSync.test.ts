import { describe, expect, it } from 'vitest';
import { combineSync } from '../components/SyncStatus';
import type { SyncView } from '../services/types';
import { honestSync } from './honestSync';

const synced: SyncView = {
  phase: 'synced',
  pending: 0,
  rejected: 0,
  unsent: 0,
  lastSyncedAt: 10,
  lanPeer: 'Bo',
};

describe('honestSync', () => {
  it('never says synced (or names a LAN peer) while the browser is offline; keeps the counts', () => {
    const view = honestSync({ ...synced, unsent: 2 }, false);
    expect(view).toEqual({ phase: 'offline', pending: 0, rejected: 0, unsent: 2, lastSyncedAt: 10 });
    for (const phase of ['connecting', 'syncing'] as const) {
      expect(honestSync({ ...synced, phase }, false).phase).toBe('offline');
    }
  });

  it('leaves the socket’s word alone while the browser is online', () => {
    expect(honestSync(synced, true)).toBe(synced);
    const offline: SyncView = { phase: 'offline', pending: 0, rejected: 0 };
    expect(honestSync(offline, true)).toBe(offline);
  });
});

describe('combineSync', () => {
  it('adds up the changes waiting and keeps the oldest last sync (never, if one never synced)', () => {
    const a: SyncView = { phase: 'synced', pending: 0, rejected: 0, unsent: 1, lastSyncedAt: 300 };
    const b: SyncView = { phase: 'offline', pending: 2, rejected: 0, unsent: 4, lastSyncedAt: 100 };
    expect(combineSync([a, b])).toEqual({
      phase: 'offline',
      pending: 2,
      rejected: 0,
      unsent: 5,
      lastSyncedAt: 100,
    });
    expect(combineSync([a, { ...b, lastSyncedAt: null }]).lastSyncedAt).toBeNull();
    expect(combineSync([{ ...b, lastSyncedAt: null }, a]).lastSyncedAt).toBeNull();
    // Not known yet (a group still opening) does not count as "never".
    const { lastSyncedAt: _, ...opening } = b;
    expect(combineSync([a, opening]).lastSyncedAt).toBe(300);
  });
});
