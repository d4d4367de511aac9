/**
 * When may background work run? Opening a large group (loading and folding thousands of
 * entries, applying its Yjs document) holds the main thread for a second or more, and a click
 * that lands meanwhile waits for it. So that work waits until the first screen is painted and
 * the user has paused (no input for `quietMs`), then for an idle moment; but never longer than
 * `maxWaitMs`, so syncing always starts.
 */

export interface IdleGateOptions {
  /** How long without input counts as a pause (ms). */
  readonly quietMs: number;
  /** Upper bound on the wait (ms), from the call. */
  readonly maxWaitMs: number;
  readonly now: () => number;
  readonly setTimer: (run: () => void, ms: number) => void;
  /** Runs `run` after the next painted frame (at once where nothing is painted). */
  readonly afterPaint: (run: () => void) => void;
  /** Runs `run` when the page is idle. */
  readonly whenIdle: (run: () => void) => void;
}

export class IdleGate {
  #lastInput: number;

  constructor(private readonly options: IdleGateOptions) {
    this.#lastInput = options.now();
  }

  /** Call on every user input (pointer, key, wheel, touch). */
  input(): void {
    this.#lastInput = this.options.now();
  }

  /**
   * Resolves after a paint, a pause (`quietMs` without input, counted from this call at the
   * earliest: whoever asks has just put something on screen) and an idle moment, or after
   * `maxWaitMs`, whichever is first.
   */
  wait(): Promise<void> {
    const { quietMs, maxWaitMs, now, setTimer, afterPaint, whenIdle } = this.options;
    const since = now();
    return new Promise<void>((resolve) => {
      const deadline = since + maxWaitMs;
      setTimer(resolve, maxWaitMs);
      const check = () => {
        const quietFor = now() - Math.max(this.#lastInput, since);
        if (now() >= deadline) resolve();
        else if (quietFor >= quietMs) whenIdle(resolve);
        else setTimer(check, Math.min(quietMs - quietFor, deadline - now()));
      };
      afterPaint(check);
    });
  }
}

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** The gate of this page: input is watched from the moment it is created. */
export function browserIdleGate(): IdleGate {
  const gate = new IdleGate({
    quietMs: 1_000,
    maxWaitMs: 5_000,
    now: () => performance.now(),
    setTimer: (run, ms) => {
      setTimeout(run, ms);
    },
    afterPaint: (run) => {
      // No frames are painted on a hidden page: nothing to wait for there.
      if (document.visibilityState !== 'visible') run();
      else requestAnimationFrame(() => setTimeout(run, 0));
    },
    whenIdle: (run) => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => run(), { timeout: 500 });
      else setTimeout(run, 0);
    },
  });
  for (const type of INPUT_EVENTS) {
    window.addEventListener(type, () => gate.input(), { capture: true, passive: true });
  }
  return gate;
}
