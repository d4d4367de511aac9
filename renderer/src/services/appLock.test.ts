/**
 * The app lock over a real sealed store (fake-indexeddb): start-up lock, screen lock, growing
 * waits that survive a reload, the optional wipe, Touch ID only where the key is in memory.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { AppLockService, type Biometrics } from './appLock';
import { AtRestService } from './atRest';

const FAST = { logN: 10, r: 8, p: 1 };

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

function atRestOn(indexedDB: IDBFactory) {
  return new AtRestService({ store: { name: 'tally', indexedDB, IDBKeyRange }, passcodeCost: FAST });
}

/** A device with a passcode set, restarted: the store waits for an unlock. */
async function restartedWithPasscode(passcode = '246813') {
  const indexedDB = new IDBFactory();
  const first = atRestOn(indexedDB);
  const store = await first.openStore();
  const recovery = await first.setPasscode(passcode);
  await store.close();
  const atRest = atRestOn(indexedDB);
  const opened = atRest.openStore();
  await vi.waitFor(() => expect(atRest.getSnapshot().protection).toBe('passcode'));
  return { atRest, opened, recovery };
}

async function rejects(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  throw new Error('expected a rejection');
}

describe('AppLockService', () => {
  it('shows the lock at start with a passcode and opens the store with the right one', async () => {
    const { atRest, opened } = await restartedWithPasscode();
    const lock = new AppLockService(atRest, { storage: new MemoryStorage() });
    expect(lock.getSnapshot()).toMatchObject({ locked: true, keyLocked: true, canLock: true });
    expect(await rejects(lock.unlockWithPasscode('111111'))).toBe('wrong_passcode');
    await lock.unlockWithPasscode('246813');
    expect(lock.getSnapshot()).toMatchObject({ locked: false, keyLocked: false });
    await (await opened).close();
  });

  it('makes the fourth wrong try wait, keeps the count across a reload, and resets on success', async () => {
    const { atRest, opened } = await restartedWithPasscode();
    const storage = new MemoryStorage();
    let now = 1_000_000;
    const lock = new AppLockService(atRest, { storage, now: () => now });
    for (let i = 0; i < 3; i++)
      expect(await rejects(lock.unlockWithPasscode('000000'))).toBe('wrong_passcode');
    expect(lock.retryAt()).toBe(now + 1000);
    expect(await rejects(lock.unlockWithPasscode('246813'))).toBe('lock_wait');

    // A reload: a new service over the same storage still makes it wait.
    const reloaded = new AppLockService(atRest, { storage, now: () => now });
    expect(reloaded.getSnapshot().attempts.failures).toBe(3);
    expect(await rejects(reloaded.unlockWithPasscode('246813'))).toBe('lock_wait');

    now += 1000;
    expect(await rejects(reloaded.unlockWithPasscode('000000'))).toBe('wrong_passcode');
    expect(reloaded.retryAt()).toBe(now + 2000);
    now += 2000;
    await reloaded.unlockWithPasscode('246813');
    expect(reloaded.getSnapshot().attempts.failures).toBe(0);
    expect(storage.map.size).toBe(0);
    await (await opened).close();
  });

  it('erases the device after the set number of wrong tries, and only then', async () => {
    const { atRest, opened } = await restartedWithPasscode();
    let now = 0;
    const wipe = vi.fn(async () => undefined);
    const lock = new AppLockService(atRest, {
      storage: new MemoryStorage(),
      now: () => now,
      wipeAfter: () => 4,
      wipe,
    });
    for (let i = 0; i < 3; i++) {
      now += 10 * 60_000;
      expect(await rejects(lock.unlockWithPasscode('000000'))).toBe('wrong_passcode');
    }
    expect(wipe).not.toHaveBeenCalled();
    now += 10 * 60_000;
    expect(await rejects(lock.unlockWithPasscode('000000'))).toBe('wiped');
    expect(wipe).toHaveBeenCalledTimes(1);
    await lock.unlockWithPasscode('246813');
    await (await opened).close();
  });

  it('unlocks with the recovery key and asks for a new passcode', async () => {
    const { atRest, opened, recovery } = await restartedWithPasscode();
    const lock = new AppLockService(atRest, { storage: new MemoryStorage() });
    await lock.unlockWithRecoveryKey(recovery);
    expect(lock.getSnapshot()).toMatchObject({ locked: false, needsNewPasscode: true });
    lock.passcodeRenewed();
    expect(lock.getSnapshot().needsNewPasscode).toBe(false);
    await (await opened).close();
  });

  it('locks the screen only with a passcode, keeping the device key for sync', async () => {
    const indexedDB = new IDBFactory();
    const atRest = atRestOn(indexedDB);
    const store = await atRest.openStore();
    const lock = new AppLockService(atRest, { storage: new MemoryStorage() });
    lock.lock();
    expect(lock.getSnapshot().locked).toBe(false);

    await atRest.setPasscode('135799');
    lock.lock();
    expect(lock.getSnapshot()).toMatchObject({ locked: true, keyLocked: false });
    // Sync's writes still work: the key stays in memory while the screen is locked.
    expect(atRest.isLocked()).toBe(false);
    expect(await rejects(lock.unlockWithPasscode('000000'))).toBe('wrong_passcode');
    expect(lock.getSnapshot().locked).toBe(true);
    await lock.unlockWithPasscode('135799');
    expect(lock.getSnapshot().locked).toBe(false);
    await store.close();
  });

  it('offers Touch ID for a screen lock, never while the key is locked', async () => {
    const bio: Biometrics = { available: async () => true, prompt: vi.fn(async () => true) };
    const { atRest, opened } = await restartedWithPasscode();
    const lock = new AppLockService(atRest, { storage: new MemoryStorage(), biometrics: bio });
    expect(await lock.biometricsAvailable()).toBe(false);
    expect(await lock.confirmWithBiometrics('unlock', true)).toBe(false);
    expect(bio.prompt).not.toHaveBeenCalled();

    await lock.unlockWithPasscode('246813');
    lock.lock();
    expect(await lock.biometricsAvailable()).toBe(true);
    expect(await lock.confirmWithBiometrics('unlock', true)).toBe(true);
    expect(lock.getSnapshot().locked).toBe(false);
    await (await opened).close();
  });

  it('stays locked when Touch ID is refused', async () => {
    const bio: Biometrics = { available: async () => true, prompt: async () => false };
    const indexedDB = new IDBFactory();
    const atRest = atRestOn(indexedDB);
    const store = await atRest.openStore();
    await atRest.setPasscode('135799');
    const lock = new AppLockService(atRest, { storage: new MemoryStorage(), biometrics: bio });
    lock.lock();
    expect(await lock.confirmWithBiometrics('unlock', true)).toBe(false);
    expect(lock.getSnapshot().locked).toBe(true);
    await store.close();
  });
});
