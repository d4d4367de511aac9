/**
 * Where the device key lives, and the passcode / recovery-key operations an app lock needs.
 *
 * The key is stored in one row (`vault` table, id 'device-key'), wrapped by up to two layers,
 * outermost first:
 *   - the OS keychain (Electron safeStorage), where the platform has a real one;
 *   - a key derived from the user's passcode (key-wrap.ts, scrypt), once one is set.
 * With both, a copied disk plus a stolen keychain still need the passcode. With neither (a
 * browser where the user skipped the passcode, or a desktop with no keychain) the key is stored
 * as is: the data is then only as private as the profile directory (docs/threat-model.md says so,
 * and the app says so on screen).
 *
 * Setting a passcode also stores a recovery wrap (key-wrap.ts) under a fresh recovery key that is
 * returned once, to be shown once; it is deliberately not layered under the keychain, so a
 * forgotten passcode on a reinstalled system can still be recovered with the written-down key.
 */
import { generateDeviceKey } from '../crypto/device-key';
import {
  PASSCODE_SCRYPT,
  type ScryptParams,
  unwrapWithPasscode,
  unwrapWithRecoveryKey,
  wrapWithPasscode,
  wrapWithRecoveryKey,
} from '../crypto/key-wrap';
import { formatRecoveryKey, generateRecoverySecret, parseRecoveryKey } from '../crypto/recovery-key';
import { WalletError } from '../errors';
import type { AtRestKeyring } from './dexie-at-rest';

export const DEVICE_KEY_ROW = 'device-key';
const VAULT_FORMAT = 1;

/** What protects the device key on this device. */
export type KeyProtection = 'none' | 'keychain' | 'passcode' | 'keychain+passcode';

export interface DeviceKeyRow {
  readonly id: typeof DEVICE_KEY_ROW;
  readonly format: number;
  readonly keychain: boolean;
  readonly passcode: boolean;
  /** keychain: the keychain's wrap (text) of the inner bytes. */
  readonly keychainWrapped?: string;
  /** no keychain: the inner bytes: the passcode wrap, or (no passcode) the device key itself. */
  readonly inner?: Uint8Array;
  /** The recovery wrap, present while a passcode is set. */
  readonly recovery?: Uint8Array;
  readonly createdAt: number;
}

/** The OS keychain (electron safeStorage through the preload), or absent in a browser. */
export interface Keychain {
  /** True when the platform really protects what it wraps (not Linux's plain-text fallback). */
  available(): Promise<boolean>;
  protect(bytes: Uint8Array): Promise<string>;
  unprotect(wrapped: string): Promise<Uint8Array>;
}

export interface VaultStorage {
  get(): Promise<DeviceKeyRow | undefined>;
  /** Adds the row unless one exists; false when one did. */
  create(row: DeviceKeyRow): Promise<boolean>;
  put(row: DeviceKeyRow): Promise<void>;
}

export interface VaultStatus {
  readonly protection: KeyProtection;
  readonly locked: boolean;
  /** True when this call made the key (first start: the browser offers a passcode now). */
  readonly created: boolean;
}

function protectionOf(row: Pick<DeviceKeyRow, 'keychain' | 'passcode'>): KeyProtection {
  if (row.keychain) return row.passcode ? 'keychain+passcode' : 'keychain';
  return row.passcode ? 'passcode' : 'none';
}

export class DeviceKeyVault {
  #row: DeviceKeyRow | undefined;

  constructor(
    private readonly storage: VaultStorage,
    private readonly keyring: AtRestKeyring,
    private readonly keychain: Keychain | undefined,
    private readonly now: () => number = Date.now,
    /** The passcode KDF's cost for new wraps (tests lower it; a wrap keeps its own). */
    private readonly passcodeCost: ScryptParams = PASSCODE_SCRYPT,
  ) {}

  /**
   * Reads (or on first start creates) the device key; unlocks the keyring unless a passcode is
   * needed. @throws WalletError `keychain_failed` when the keychain no longer opens its wrap.
   */
  async open(): Promise<VaultStatus> {
    let row = await this.storage.get();
    let created = false;
    if (!row) {
      const key = generateDeviceKey();
      const made = await this.#rowFor(key, undefined, undefined);
      created = await this.storage.create(made);
      if (created) this.keyring.unlock(key);
      key.fill(0);
      row = created ? made : await this.storage.get();
      if (!row) throw new WalletError('vault_missing', 'The device key could not be stored.');
    }
    if (!created) row = await this.#adoptKeychain(row);
    this.#row = row;
    if (!created && !row.passcode) {
      const key = await this.#inner(row);
      this.keyring.unlock(key);
      key.fill(0);
    }
    return { ...this.status(), created };
  }

  status(): VaultStatus {
    const row = this.#requireRow();
    return { protection: protectionOf(row), locked: this.keyring.locked, created: false };
  }

  get hasPasscode(): boolean {
    return this.#requireRow().passcode;
  }

  /**
   * Sets (or changes) the passcode while unlocked. Returns the new recovery key, to be shown once;
   * the previous recovery key stops working.
   * @throws WalletError `passcode_too_short`, `at_rest_locked`.
   */
  async setPasscode(passcode: string): Promise<string> {
    const key = this.keyring.key();
    const secret = generateRecoverySecret();
    const wrap = await wrapWithPasscode(key, passcode, this.passcodeCost);
    const row = await this.#rowFor(key, wrap, wrapWithRecoveryKey(key, secret));
    await this.storage.put(row);
    this.#row = row;
    return formatRecoveryKey(secret);
  }

  /** Removes the passcode while unlocked: the key is then protected by the keychain alone, or by nothing. */
  async clearPasscode(): Promise<void> {
    const row = await this.#rowFor(this.keyring.key(), undefined, undefined);
    await this.storage.put(row);
    this.#row = row;
  }

  /** @throws WalletError `wrong_passcode`, `no_passcode`, `wrapped_key_tampered`, `keychain_failed`. */
  async unlockWithPasscode(passcode: string): Promise<void> {
    const row = this.#requireRow();
    if (!row.passcode) throw new WalletError('no_passcode', 'No passcode is set on this device.');
    const key = await unwrapWithPasscode(await this.#inner(row), passcode);
    this.keyring.unlock(key);
    key.fill(0);
  }

  /**
   * Unlocks with the recovery key (then the app should have the user set a new passcode).
   * @throws WalletError `recovery_key_invalid` (typo), `wrong_recovery_key`, `no_passcode`.
   */
  async unlockWithRecoveryKey(text: string): Promise<void> {
    const row = this.#requireRow();
    if (!row.passcode || !row.recovery)
      throw new WalletError('no_passcode', 'No recovery key was set up on this device.');
    const key = unwrapWithRecoveryKey(row.recovery, parseRecoveryKey(text));
    this.keyring.unlock(key);
    key.fill(0);
  }

  /** Unlocks without a passcode where none is set (after `lock`). */
  async unlock(): Promise<void> {
    const row = this.#requireRow();
    if (row.passcode) throw new WalletError('passcode_required', 'Enter the passcode to unlock.');
    const key = await this.#inner(row);
    this.keyring.unlock(key);
    key.fill(0);
  }

  lock(): void {
    this.keyring.lock();
  }

  #requireRow(): DeviceKeyRow {
    if (!this.#row) throw new WalletError('vault_not_open', 'The device key has not been read yet.');
    return this.#row;
  }

  /** The row storing `key`, with the passcode wrap when given, under the keychain when there is one. */
  async #rowFor(key: Uint8Array, passcodeWrap: Uint8Array | undefined, recovery: Uint8Array | undefined) {
    const inner = passcodeWrap ?? key.slice();
    const keychain = this.keychain !== undefined && (await this.keychain.available().catch(() => false));
    const base = {
      id: DEVICE_KEY_ROW,
      format: VAULT_FORMAT,
      keychain,
      passcode: passcodeWrap !== undefined,
      createdAt: this.#row?.createdAt ?? this.now(),
      ...(recovery ? { recovery } : {}),
    } as const;
    if (!keychain) return { ...base, inner } satisfies DeviceKeyRow;
    const keychainWrapped = await this.keychain!.protect(inner);
    inner.fill(0);
    return { ...base, keychainWrapped } satisfies DeviceKeyRow;
  }

  /**
   * A key stored without the keychain (none was available then) goes under it once there is one
   * (a Secret Service started on Linux): the default protection, without the user doing anything.
   * Only the outer layer changes, so no passcode or key is needed. Left as it is if that fails.
   */
  async #adoptKeychain(row: DeviceKeyRow): Promise<DeviceKeyRow> {
    const keychain = this.keychain;
    if (row.keychain || !keychain || !(row.inner instanceof Uint8Array) || row.format !== VAULT_FORMAT)
      return row;
    try {
      if (!(await keychain.available())) return row;
      const { inner, ...rest } = row;
      const adopted: DeviceKeyRow = {
        ...rest,
        keychain: true,
        keychainWrapped: await keychain.protect(inner),
      };
      await this.storage.put(adopted);
      return adopted;
    } catch {
      return row;
    }
  }

  /** The inner bytes: through the keychain when the row says so. */
  async #inner(row: DeviceKeyRow): Promise<Uint8Array> {
    if (row.format !== VAULT_FORMAT) {
      throw new WalletError(
        'vault_unsupported',
        `device key format ${row.format} is not known to this version`,
      );
    }
    if (!row.keychain) {
      if (!(row.inner instanceof Uint8Array))
        throw new WalletError('wrapped_key_tampered', 'the stored device key is missing');
      return row.inner.slice();
    }
    if (!this.keychain || typeof row.keychainWrapped !== 'string') {
      throw new WalletError('keychain_failed', 'This device key is protected by the desktop app’s keychain.');
    }
    try {
      return await this.keychain.unprotect(row.keychainWrapped);
    } catch (e) {
      throw new WalletError(
        'keychain_failed',
        `The system keychain did not open the device key: ${String(e)}`,
      );
    }
  }
}
