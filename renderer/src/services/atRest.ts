/**
 * Encryption at rest in the app: opens the store with its rows sealed by the device key
 * (shared/sync/dexie-at-rest.ts), finds or makes that key (shared/sync/at-rest-vault.ts), seals
 * an older installation's plain rows (shared/sync/at-rest-migration.ts), and offers what a lock
 * screen needs: setPasscode, unlockWithPasscode, unlockWithRecoveryKey, lock, isLocked.
 *
 * Start-up with a passcode set: `openStore` waits until one of the unlock calls succeeds, so the
 * wallet stays in its loading phase meanwhile; a lock screen shows while `getSnapshot().locked`.
 * docs/threat-model.md, "Encryption at rest", describes the UX and what each setting protects.
 */
import { AtRestKeyring } from '../../../shared/sync/dexie-at-rest';
import { sealExistingRows } from '../../../shared/sync/at-rest-migration';
import type { ScryptParams } from '../../../shared/crypto/key-wrap';
import { DeviceKeyVault, type KeyProtection, type Keychain } from '../../../shared/sync/at-rest-vault';
import { DexieStore, type DexieStoreOptions } from '../../../shared/sync/dexie-store';
import { WalletError } from '../../../shared/errors';

export interface AtRestSnapshot {
  /** Before the store is open: null. */
  readonly protection: KeyProtection | null;
  readonly locked: boolean;
  /** True on the start that created the device key (the browser offers a passcode then). */
  readonly firstRun: boolean;
}

type Listener = () => void;

export interface AtRestOptions {
  /** The OS keychain (desktop); absent in a browser. */
  readonly keychain?: Keychain | undefined;
  /** Where the store lives (tests: fake-indexeddb). */
  readonly store?: Omit<DexieStoreOptions, 'atRest'>;
  /** The passcode KDF's cost for new wraps; tests lower it. */
  readonly passcodeCost?: ScryptParams;
  /**
   * Installs the faster cipher (services/fastOpen.ts) once the key is unlocked, not awaited: the
   * first screen opens a few sealed rows with the portable one; a group's thousands of cached
   * events are opened later, in the background, by then with the fast one.
   */
  readonly fastCrypto?: () => Promise<unknown>;
}

export class AtRestService {
  readonly keyring = new AtRestKeyring();
  #vault: DeviceKeyVault | undefined;
  #snapshot: AtRestSnapshot = { protection: null, locked: true, firstRun: false };
  readonly #listeners = new Set<Listener>();
  #waiters: (() => void)[] = [];

  constructor(private readonly options: AtRestOptions = {}) {}

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): AtRestSnapshot => this.#snapshot;

  #publish(patch: Partial<AtRestSnapshot> = {}): void {
    const vault = this.#vault;
    this.#snapshot = {
      ...this.#snapshot,
      ...(vault ? { protection: vault.status().protection } : {}),
      locked: this.keyring.locked,
      ...patch,
    };
    if (!this.keyring.locked) {
      for (const wake of this.#waiters.splice(0)) wake();
    }
    for (const l of this.#listeners) l();
  }

  /**
   * Opens the store sealed at rest: reads or creates the device key, waits for an unlock when a
   * passcode is set, seals the rows an older version left in the clear, then resolves.
   */
  async openStore(): Promise<DexieStore> {
    const { keychain, store: storeOptions, passcodeCost, fastCrypto } = this.options;
    const store = await new DexieStore({ ...storeOptions, atRest: this.keyring }).open();
    try {
      this.#vault = new DeviceKeyVault(
        store.vaultStorage(),
        this.keyring,
        keychain,
        Date.now,
        ...(passcodeCost ? [passcodeCost] : []),
      );
      const status = await this.#vault.open();
      this.#publish({ firstRun: status.created });
      if (this.keyring.locked) await new Promise<void>((resolve) => this.#waiters.push(resolve));
      void fastCrypto?.().catch(() => undefined);
      await sealExistingRows(store.db, this.keyring);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  #requireVault(): DeviceKeyVault {
    if (!this.#vault) throw new WalletError('not_ready', 'The wallet is still starting.');
    return this.#vault;
  }

  isLocked(): boolean {
    return this.keyring.locked;
  }

  hasPasscode(): boolean {
    return this.#vault?.hasPasscode ?? false;
  }

  /** Sets or changes the passcode (unlocked only); resolves the recovery key to show once. */
  async setPasscode(passcode: string): Promise<string> {
    const recovery = await this.#requireVault().setPasscode(passcode);
    this.#publish();
    return recovery;
  }

  async clearPasscode(): Promise<void> {
    await this.#requireVault().clearPasscode();
    this.#publish();
  }

  /** @throws WalletError `wrong_passcode` (and the vault's other codes). */
  async unlockWithPasscode(passcode: string): Promise<void> {
    await this.#requireVault().unlockWithPasscode(passcode);
    this.#publish();
  }

  /** @throws WalletError `recovery_key_invalid`, `wrong_recovery_key`. */
  async unlockWithRecoveryKey(recoveryKey: string): Promise<void> {
    await this.#requireVault().unlockWithRecoveryKey(recoveryKey);
    this.#publish();
  }

  /** Unlocks where no passcode is set (after `lock`). */
  async unlock(): Promise<void> {
    await this.#requireVault().unlock();
    this.#publish();
  }

  /**
   * Drops the device key from memory: until an unlock, reading a sealed row or writing to a sealed
   * table fails with `at_rest_locked`. (Keeping sync running while locked is the app lock's job.)
   */
  lock(): void {
    this.keyring.lock();
    this.#publish();
  }
}
