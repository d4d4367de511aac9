/**
 * When a sender may take back the rest of a red envelope. The fold has no clock, so expiry is not
 * a rule of the fold: the sender's app writes `envelope.reclaimed` once its own clock says the
 * envelope is ENVELOPE_EXPIRY_MS old, and the fold's total order decides which opens came in time.
 */
import type { MemberId } from '../money/types';
import type { RedEnvelopeState } from './types';

/** 24 hours, as in the chat apps people know: unopened shares go back to the sender after a day. */
export const ENVELOPE_EXPIRY_MS = 24 * 60 * 60 * 1000;

/** The sender's clock time (ms) from which the rest may be taken back: the envelope's time + 24 h. */
export function reclaimableFrom(envelope: RedEnvelopeState): number {
  return envelope.time + ENVELOPE_EXPIRY_MS;
}

/** True when `me` sent it, something is left, it was not taken back yet, and it is a day old at `now`. */
export function canReclaim(envelope: RedEnvelopeState, me: MemberId, now: number): boolean {
  return (
    envelope.author === me &&
    envelope.reclaimedBy === null &&
    envelope.claims.length < envelope.count &&
    now >= reclaimableFrom(envelope)
  );
}

/** Still open for `member`: not theirs, not opened by them, shares left, not taken back. */
export function canOpen(envelope: RedEnvelopeState, member: MemberId): boolean {
  return (
    envelope.author !== member &&
    envelope.reclaimedBy === null &&
    envelope.claims.length < envelope.count &&
    !envelope.claims.some((c) => c.member === member)
  );
}
