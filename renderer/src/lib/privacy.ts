/**
 * Privacy mode: amounts shown as ••• until clicked. The one place that decides what an amount
 * looks like on screen (hooks/useFormat.ts calls it for every amount).
 */

/** What a hidden amount shows. */
export const HIDDEN_AMOUNT = '•••';

/** How long amounts stay visible after a click on a hidden one. */
export const REVEAL_MS = 30_000;

export interface PrivacyState {
  readonly enabled: boolean;
  /** Amounts are shown until this moment (ms since the epoch) after a click; 0: not revealed. */
  readonly revealedUntil: number;
}

/** Whether amounts are hidden right now. */
export function amountsHidden(state: PrivacyState, now: number): boolean {
  return state.enabled && now >= state.revealedUntil;
}

/** The formatted amount, or the mask while hidden. */
export function shownAmount(formatted: string, hidden: boolean): string {
  return hidden ? HIDDEN_AMOUNT : formatted;
}

/** Whether a click landed on a hidden amount (its text is the mask, maybe with a sign or label). */
export function isHiddenAmountText(text: string | null | undefined): boolean {
  return typeof text === 'string' && text.length <= 40 && text.includes(HIDDEN_AMOUNT);
}
