/**
 * Privacy mode's "until clicked": a click on a hidden amount shows amounts for a short while
 * (lib/privacy.ts, REVEAL_MS), then they hide again. A tiny store the formatters subscribe to.
 */
import { REVEAL_MS } from '../lib/privacy';

type Listener = () => void;

export class PrivacyReveal {
  #until = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<Listener>();

  constructor(private readonly now: () => number = Date.now) {}

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Until when amounts are shown (ms since the epoch); 0: hidden. */
  getSnapshot = (): number => this.#until;

  reveal(): void {
    this.#set(this.now() + REVEAL_MS);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.hide(), REVEAL_MS);
  }

  hide(): void {
    clearTimeout(this.#timer);
    this.#set(0);
  }

  #set(until: number): void {
    this.#until = until;
    for (const l of this.#listeners) l();
  }
}

/** The app's one reveal state. */
export const privacyReveal = new PrivacyReveal();
