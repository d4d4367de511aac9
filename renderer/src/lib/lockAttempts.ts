/**
 * Wrong passcodes on the lock screen: how long the next try must wait, and when the optional
 * wipe is due. Pure; the counter is persisted by services/appLock.ts so a reload does not reset it.
 */

/** Tries allowed without any wait. */
export const FREE_ATTEMPTS = 3;
/** The longest wait between two tries (5 minutes). */
export const MAX_DELAY_MS = 5 * 60_000;

export interface LockAttempts {
  /** Wrong passcodes (or recovery keys) in a row since the last unlock. */
  readonly failures: number;
  /** When the last one was entered (ms since the epoch); 0 before any. */
  readonly lastFailureAt: number;
}

export const NO_ATTEMPTS: LockAttempts = { failures: 0, lastFailureAt: 0 };

/** The wait after `failures` wrong tries: none for the first three, then 1 s, 2 s, 4 s… capped at 5 min. */
export function delayAfterFailures(failures: number): number {
  if (!Number.isSafeInteger(failures) || failures < FREE_ATTEMPTS) return 0;
  const doublings = failures - FREE_ATTEMPTS;
  // 2^19 s is far beyond the cap already: no overflow for any count.
  return doublings >= 19 ? MAX_DELAY_MS : Math.min(1000 * 2 ** doublings, MAX_DELAY_MS);
}

/** When the next try is allowed (ms since the epoch). */
export function nextTryAt(attempts: LockAttempts): number {
  const delay = delayAfterFailures(attempts.failures);
  return delay === 0 ? 0 : attempts.lastFailureAt + delay;
}

/** Counts one more wrong try. */
export function recordFailure(attempts: LockAttempts, now: number): LockAttempts {
  return { failures: attempts.failures + 1, lastFailureAt: now };
}

/**
 * With the wipe on (`wipeAfter` > 0): 'warn' when the next wrong try erases this device's data,
 * 'wipe' once that many were entered; otherwise 'none'.
 */
export function wipeStage(failures: number, wipeAfter: number): 'none' | 'warn' | 'wipe' {
  if (!Number.isSafeInteger(wipeAfter) || wipeAfter <= 0) return 'none';
  if (failures >= wipeAfter) return 'wipe';
  if (failures === wipeAfter - 1) return 'warn';
  return 'none';
}

/**
 * Reads a stored counter, keeping only a well-formed one. A missing or damaged entry counts as
 * FREE_ATTEMPTS failures "now" rather than zero: clearing or corrupting storage must not buy an
 * attacker fresh free tries.
 */
export function parseAttempts(raw: string | null, now: number): LockAttempts {
  if (raw === null) return NO_ATTEMPTS;
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof LockAttempts, unknown>> | null;
    const failures = v?.failures;
    const last = v?.lastFailureAt;
    if (
      typeof failures === 'number' &&
      Number.isSafeInteger(failures) &&
      failures >= 0 &&
      typeof last === 'number' &&
      Number.isFinite(last) &&
      last >= 0
    ) {
      // A clock set back must not leave the wait running for years.
      return { failures, lastFailureAt: Math.min(last, now) };
    }
  } catch {
    // fall through
  }
  return { failures: FREE_ATTEMPTS, lastFailureAt: now };
}
