/**
 * Whether the person just clicked or pressed a key in a page. Fed by the main process from the
 * OS input Electron routes to a WebContents (`before-mouse-event`, `before-input-event`), which a
 * page cannot synthesise: `element.click()` or `dispatchEvent` from script never passes through
 * here. One gesture allows one external link, within a short window, so a compromised page cannot
 * open browser tabs on its own, nor bank a click and spend it later or many times.
 */
export const GESTURE_WINDOW_MS = 1000;

/** Keys that activate a focused link or button. */
const ACTIVATION_KEYS: ReadonlySet<string> = new Set(['Enter', ' ', 'Spacebar']);

export interface InputLike {
  readonly type: string;
  readonly key?: string;
}

export class UserGestures {
  #at = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /** A mouse event from the OS: a released button is a click. */
  noteMouse(mouse: InputLike): void {
    if (mouse.type === 'mouseUp' || mouse.type === 'mouseDown') this.#at = this.now();
  }

  /** A key event from the OS: Enter or Space activates links and buttons. */
  noteKey(input: InputLike): void {
    if ((input.type === 'keyDown' || input.type === 'keyUp') && ACTIVATION_KEYS.has(input.key ?? '')) {
      this.#at = this.now();
    }
  }

  /** True (once) when a gesture happened within the window; it is spent either way. */
  consume(): boolean {
    const fresh = this.now() - this.#at <= GESTURE_WINDOW_MS;
    this.#at = Number.NEGATIVE_INFINITY;
    return fresh;
  }
}
