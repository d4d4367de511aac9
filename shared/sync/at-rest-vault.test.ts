/** Where the device key lives: keychain and passcode layers, recovery, and what a copied disk holds. */
import { describe, expect, it } from 'vitest';
import { AtRestKeyring } from './dexie-at-rest';
import {
  DEVICE_KEY_ROW,
  type DeviceKeyRow,
  DeviceKeyVault,
  type Keychain,
  type VaultStorage,
} from './at-rest-vault';

function memoryStorage(): VaultStorage & { row?: DeviceKeyRow } {
  const s: VaultStorage & { row?: DeviceKeyRow } = {
    get: async () => s.row,
    create: async (row) => {
      if (s.row) return false;
      s.row = row;
      return true;
    },
    put: async (row) => {
      s.row = row;
    },
  };
  return s;
}

/** A keychain that really transforms (XOR with a secret pad) and can be switched off. */
function fakeKeychain(): Keychain & { working: boolean } {
  const pad = 0x5a;
  const k = {
    working: true,
    available: async () => k.working,
    protect: async (bytes: Uint8Array) =>
      `kc:${[...bytes].map((b) => (b ^ pad).toString(16).padStart(2, '0')).join('')}`,
    unprotect: async (text: string) => {
      if (!k.working || !text.startsWith('kc:')) throw new Error('keychain refused');
      return Uint8Array.from(
        text
          .slice(3)
          .match(/../g)!
          .map((h) => Number.parseInt(h, 16) ^ pad),
      );
    },
  };
  return k;
}

async function vaultOn(storage: VaultStorage, keychain?: Keychain) {
  const keyring = new AtRestKeyring();
  // Cheap scrypt: these tests are about the layers, not the cost (key-wrap's tests cover that).
  const vault = new DeviceKeyVault(storage, keyring, keychain, Date.now, { logN: 10, r: 8, p: 1 });
  const status = await vault.open();
  return { keyring, vault, status };
}

describe('DeviceKeyVault', () => {
  it('browser: a key protected by nothing until a passcode is set, then only by it', async () => {
    const storage = memoryStorage();
    const first = await vaultOn(storage);
    expect(first.status).toEqual({ protection: 'none', locked: false, created: true });
    const key = first.keyring.key().slice();
    // Documented: without a passcode the key sits in the row as is.
    expect(storage.row?.inner).toEqual(key);

    const again = await vaultOn(storage);
    expect(again.status).toMatchObject({ protection: 'none', locked: false, created: false });
    expect(again.keyring.key()).toEqual(key);

    const recovery = await again.vault.setPasscode('correct horse');
    expect(again.vault.status().protection).toBe('passcode');
    expect(storage.row?.id).toBe(DEVICE_KEY_ROW);
    expect(JSON.stringify([...(storage.row?.inner ?? [])])).not.toBe(JSON.stringify([...key]));

    const locked = await vaultOn(storage);
    expect(locked.status).toMatchObject({ protection: 'passcode', locked: true });
    expect(() => locked.keyring.key()).toThrow(expect.objectContaining({ code: 'at_rest_locked' }));
    await expect(locked.vault.unlockWithPasscode('correct hors')).rejects.toMatchObject({
      code: 'wrong_passcode',
    });
    await expect(locked.vault.unlock()).rejects.toMatchObject({ code: 'passcode_required' });
    expect(locked.keyring.locked).toBe(true);
    await locked.vault.unlockWithPasscode('correct horse');
    expect(locked.keyring.key()).toEqual(key);

    locked.vault.lock();
    expect(locked.keyring.locked).toBe(true);
    await expect(locked.vault.unlockWithRecoveryKey(`${recovery.slice(0, -1)}0`)).rejects.toMatchObject({
      code: expect.stringMatching(/^(recovery_key_invalid|wrong_recovery_key)$/),
    });
    await locked.vault.unlockWithRecoveryKey(recovery.toLowerCase());
    expect(locked.keyring.key()).toEqual(key);
  });

  it('a new passcode makes a new recovery key; the old one stops working', async () => {
    const storage = memoryStorage();
    const { vault } = await vaultOn(storage);
    const old = await vault.setPasscode('first passcode');
    const fresh = await vault.setPasscode('second passcode');
    expect(fresh).not.toBe(old);
    const next = await vaultOn(storage);
    await expect(next.vault.unlockWithRecoveryKey(old)).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    await expect(next.vault.unlockWithPasscode('first passcode')).rejects.toMatchObject({
      code: 'wrong_passcode',
    });
    await next.vault.unlockWithRecoveryKey(fresh);
    expect(next.keyring.locked).toBe(false);
    // Removing the passcode again: opens without one.
    await next.vault.clearPasscode();
    expect((await vaultOn(storage)).status).toMatchObject({ protection: 'none', locked: false });
  });

  it('desktop: the keychain wraps the key; with a passcode, the keychain alone does not open it', async () => {
    const storage = memoryStorage();
    const keychain = fakeKeychain();
    const first = await vaultOn(storage, keychain);
    expect(first.status).toMatchObject({ protection: 'keychain', locked: false, created: true });
    const key = first.keyring.key().slice();
    expect(storage.row?.inner).toBeUndefined();
    expect(storage.row?.keychainWrapped).not.toContain(Buffer.from(key).toString('hex'));

    const again = await vaultOn(storage, keychain);
    expect(again.status).toMatchObject({ protection: 'keychain', locked: false });
    expect(again.keyring.key()).toEqual(key);

    await again.vault.setPasscode('correct horse');
    // A copied disk plus a working (stolen) keychain: still locked without the passcode.
    const stolen = await vaultOn(storage, keychain);
    expect(stolen.status).toMatchObject({ protection: 'keychain+passcode', locked: true });
    await expect(stolen.vault.unlockWithPasscode('wrong horse')).rejects.toMatchObject({
      code: 'wrong_passcode',
    });
    await stolen.vault.unlockWithPasscode('correct horse');
    expect(stolen.keyring.key()).toEqual(key);

    // The keychain gone (another machine, a reset account): passcode alone cannot open it.
    keychain.working = false;
    const moved = await vaultOn(storage, keychain);
    await expect(moved.vault.unlockWithPasscode('correct horse')).rejects.toMatchObject({
      code: 'keychain_failed',
    });
  });

  it('a key stored without a keychain goes under one once there is one, passcode or not', async () => {
    for (const passcode of [undefined, 'correct horse']) {
      const storage = memoryStorage();
      const keychain = fakeKeychain();
      keychain.working = false; // e.g. Linux before a Secret Service runs
      const first = await vaultOn(storage, keychain);
      expect(first.status.protection).toBe('none');
      const key = first.keyring.key().slice();
      if (passcode) await first.vault.setPasscode(passcode);
      keychain.working = true;
      const later = await vaultOn(storage, keychain);
      expect(later.status.protection).toBe(passcode ? 'keychain+passcode' : 'keychain');
      expect(storage.row?.inner).toBeUndefined();
      if (passcode) await later.vault.unlockWithPasscode(passcode);
      expect(later.keyring.key()).toEqual(key);
    }
  });

  it('desktop without a passcode: a keychain that fails is a typed error, not a new key', async () => {
    const storage = memoryStorage();
    const keychain = fakeKeychain();
    await vaultOn(storage, keychain);
    const before = storage.row;
    keychain.working = false;
    await expect(vaultOn(storage, keychain)).rejects.toMatchObject({ code: 'keychain_failed' });
    expect(storage.row).toBe(before);
  });

  it('refuses passcode operations while locked and unknown formats', async () => {
    const storage = memoryStorage();
    const { vault } = await vaultOn(storage);
    await vault.setPasscode('correct horse');
    const locked = await vaultOn(storage);
    await expect(locked.vault.setPasscode('another one')).rejects.toMatchObject({ code: 'at_rest_locked' });
    storage.row = { ...storage.row!, format: 2, passcode: false };
    await expect(vaultOn(storage)).rejects.toMatchObject({ code: 'vault_unsupported' });
  });
});
