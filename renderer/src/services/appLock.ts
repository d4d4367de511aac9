/**
 * The app lock (docs/threat-model.md, "App lock"): what the lock screen, the idle timer, the
 * desktop's lock events and the spending-limit re-check use, on top of encryption at rest
 * (services/atRest.ts).
 *
 * Two kinds of locked:
 *   - key locked: at start with a passcode set, the device key is not in memory yet; only the
 *     passcode or the recovery key opens it (Touch ID cannot: the key is wrapped by the passcode).
 *   - screen locked: after "Lock", idle minutes, or system sleep. The device key STAYS in memory,
 *     for the sync engine only: entries keep arriving, verified and stored sealed, while the app's
 *     whole UI tree is unmounted and replaced by the lock screen. Passcode or Touch ID unlocks.
 *
 * Wrong passcodes count across reloads (lib/lockAttempts.ts): growing waits, and optionally a
 * wipe of this device's data after a final warning.
 */
import { isWalletError, WalletError } from '../../../shared/errors';
import {
  type LockAttempts,
  NO_ATTEMPTS,
  nextTryAt,
  parseAttempts,
  recordFailure,
  wipeStage,
} from '../lib/lockAttempts';
import type { AtRestService } from './atRest';

const ATTEMPTS_KEY = 'tally.lock-attempts.v1';

export interface AppLockSnapshot {
  /** The lock screen shows (nothing else of the app is mounted). */
  readonly locked: boolean;
  /** Locked with the device key out of memory (start-up): passcode or recovery key only. */
  readonly keyLocked: boolean;
  /** A passcode is set, so the app can be locked. */
  readonly canLock: boolean;
  readonly attempts: LockAttempts;
  /** Set after a recovery-key unlock: the app asks for a new passcode. */
  readonly needsNewPasscode: boolean;
}

/** Touch ID through the desktop (absent in a browser and where the OS has none). */
export interface Biometrics {
  available(): Promise<boolean>;
  /** Resolves true when the person confirmed. */
  prompt(reason: string): Promise<boolean>;
}

export interface AppLockOptions {
  readonly storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  readonly now?: () => number;
  /** Wrong tries before the wipe (0: never); read at each failure, it is a setting. */
  readonly wipeAfter?: () => number;
  /** Erases this device's data (services/wipe.ts). */
  readonly wipe?: () => Promise<void>;
  readonly biometrics?: Biometrics | undefined;
}

type Listener = () => void;

export class AppLockService {
  #screenLocked = false;
  #needsNewPasscode = false;
  #attempts: LockAttempts;
  #snapshot: AppLockSnapshot;
  readonly #listeners = new Set<Listener>();
  readonly #now: () => number;

  constructor(
    private readonly atRest: AtRestService,
    private readonly options: AppLockOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    let raw: string | null = null;
    try {
      raw = options.storage?.getItem(ATTEMPTS_KEY) ?? null;
    } catch {
      raw = null;
    }
    this.#attempts = parseAttempts(raw, this.#now());
    this.#snapshot = this.#compute();
    atRest.subscribe(() => this.#publish());
  }

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): AppLockSnapshot => this.#snapshot;

  #compute(): AppLockSnapshot {
    const at = this.atRest.getSnapshot();
    // Before the vault is read (protection null) nothing is known yet: the app shows "loading".
    const keyLocked = at.protection !== null && at.locked;
    const canLock = this.#hasPasscode();
    return {
      locked: keyLocked || (this.#screenLocked && canLock),
      keyLocked,
      canLock,
      attempts: this.#attempts,
      needsNewPasscode: this.#needsNewPasscode,
    };
  }

  #publish(): void {
    const next = this.#compute();
    const prev = this.#snapshot;
    if (
      prev.locked === next.locked &&
      prev.keyLocked === next.keyLocked &&
      prev.canLock === next.canLock &&
      prev.attempts === next.attempts &&
      prev.needsNewPasscode === next.needsNewPasscode
    )
      return;
    this.#snapshot = next;
    for (const l of this.#listeners) l();
  }

  /** Locks the screen (a no-op without a passcode: there would be nothing to unlock with). */
  lock(): void {
    if (!this.#hasPasscode()) return;
    this.#screenLocked = true;
    this.#publish();
  }

  /** False too while the device key's row is still being read (the vault throws then). */
  #hasPasscode(): boolean {
    try {
      return this.atRest.hasPasscode();
    } catch {
      return false;
    }
  }

  /** When the next try is allowed (0: now). */
  retryAt(): number {
    return nextTryAt(this.#attempts);
  }

  /**
   * Unlocks with the passcode. @throws WalletError `lock_wait` (details.retryAt) while a wait
   * runs, `wrong_passcode` (counted), or the vault's other codes.
   */
  async unlockWithPasscode(passcode: string): Promise<void> {
    await this.#checked(() => this.atRest.unlockWithPasscode(passcode));
    this.#screenLocked = false;
    this.#publish();
  }

  /** Unlocks with the recovery key; the app then asks for a new passcode. */
  async unlockWithRecoveryKey(recoveryKey: string): Promise<void> {
    await this.#checked(() => this.atRest.unlockWithRecoveryKey(recoveryKey));
    this.#screenLocked = false;
    this.#needsNewPasscode = true;
    this.#publish();
  }

  /**
   * Checks the passcode without changing the lock (the spending limit's re-check). Wrong ones
   * count like on the lock screen. @throws like unlockWithPasscode.
   */
  async verifyPasscode(passcode: string): Promise<void> {
    await this.#checked(() => this.atRest.unlockWithPasscode(passcode));
  }

  /** Whether Touch ID can stand in for the passcode now (never while the key is locked). */
  async biometricsAvailable(): Promise<boolean> {
    if (this.#snapshot.keyLocked || !this.options.biometrics) return false;
    return this.options.biometrics.available().catch(() => false);
  }

  /** Touch ID: resolves true (and unlocks the screen when `unlock`) once confirmed. */
  async confirmWithBiometrics(reason: string, unlock: boolean): Promise<boolean> {
    if (this.#snapshot.keyLocked || !this.options.biometrics) return false;
    const ok = await this.options.biometrics.prompt(reason).catch(() => false);
    if (ok) {
      this.#setAttempts(NO_ATTEMPTS);
      if (unlock) this.#screenLocked = false;
      this.#publish();
    }
    return ok;
  }

  /** The new passcode was set (after a recovery-key unlock). */
  passcodeRenewed(): void {
    this.#needsNewPasscode = false;
    this.#publish();
  }

  async #checked(attempt: () => Promise<void>): Promise<void> {
    const retryAt = this.retryAt();
    if (retryAt > this.#now()) {
      throw new WalletError('lock_wait', 'Too many wrong tries: wait a moment.', { retryAt });
    }
    try {
      await attempt();
    } catch (error) {
      if (isWalletError(error) && (error.code === 'wrong_passcode' || error.code === 'wrong_recovery_key')) {
        this.#setAttempts(recordFailure(this.#attempts, this.#now()));
        this.#publish();
        const wipeAfter = this.options.wipeAfter?.() ?? 0;
        if (wipeStage(this.#attempts.failures, wipeAfter) === 'wipe' && this.options.wipe) {
          this.#setAttempts(NO_ATTEMPTS);
          await this.options.wipe();
          throw new WalletError('wiped', 'Too many wrong passcodes: this device’s data was erased.');
        }
      }
      throw error;
    }
    this.#setAttempts(NO_ATTEMPTS);
  }

  #setAttempts(attempts: LockAttempts): void {
    this.#attempts = attempts;
    try {
      if (attempts.failures === 0) this.options.storage?.removeItem(ATTEMPTS_KEY);
      else this.options.storage?.setItem(ATTEMPTS_KEY, JSON.stringify(attempts));
    } catch {
      // Storage disabled: the count still holds for this session.
    }
  }
}
