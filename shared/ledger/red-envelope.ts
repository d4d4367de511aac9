/**
 * Red envelope (lucky money) shares: an amount put in the chat for n people is cut into n random
 * shares that sum exactly to it, each at least one minor unit. The randomness is SHA-256 of the
 * envelope's entry id and the share's index, so every device computes the same cuts from the
 * signed entry alone — never a device's Math.random. Openers get the shares in the order the
 * fold puts their open entries in.
 *
 * Core only: nothing here reads events or state (see docs/red-envelopes.md for the wiring).
 */
import { err, ok, type Result } from '../errors';
import { hexToBytes, sha256 } from '../crypto/hash';
import { MAX_AMOUNT, type MemberId, type Minor } from '../money/types';
import type { EntryId } from './types';

/** More shares than this is not a lucky-money game any more (and keeps the work per fold bounded). */
export const MAX_ENVELOPE_SHARES = 1000;

/** Separates this use of SHA-256 from every other one in the protocol. Changing it changes every share. */
const DOMAIN = new TextEncoder().encode('tally/red-envelope/v1');

export type RedEnvelopeErrorCode =
  | 'envelope_id_invalid'
  | 'envelope_amount_invalid'
  | 'envelope_count_invalid'
  | 'envelope_too_many_shares';

/** 64 random bits for share `index` of the envelope: SHA-256(domain ‖ id ‖ index as u32 BE). */
function draw(idBytes: Uint8Array, index: number): bigint {
  const input = new Uint8Array(DOMAIN.length + idBytes.length + 4);
  input.set(DOMAIN, 0);
  input.set(idBytes, DOMAIN.length);
  new DataView(input.buffer).setUint32(DOMAIN.length + idBytes.length, index, false);
  const digest = sha256(input);
  return new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0, false);
}

/**
 * The n shares of an envelope, in index order. Each share is 1 plus a part of the rest
 * (amount − n) proportional to its drawn weight; the cents lost to rounding down go one each
 * to the largest remainders (lower index first on equal remainders). BigInt keeps it exact for
 * any amount up to MAX_AMOUNT.
 */
export function redEnvelopeShares(
  envelopeId: EntryId,
  amount: Minor,
  n: number,
): Result<Minor[], RedEnvelopeErrorCode> {
  if (typeof envelopeId !== 'string' || !/^[0-9a-f]{64}$/.test(envelopeId)) {
    return err('envelope_id_invalid', 'the envelope id must be an entry id (64 lower-case hex chars)');
  }
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_AMOUNT) {
    return err('envelope_amount_invalid', 'the amount must be a whole number of minor units, at least 1', {
      amount,
    });
  }
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ENVELOPE_SHARES) {
    return err('envelope_count_invalid', `the number of shares must be 1 to ${MAX_ENVELOPE_SHARES}`, { n });
  }
  if (n > amount) {
    return err(
      'envelope_too_many_shares',
      'each share needs at least one minor unit: more shares than units',
      {
        amount,
        n,
      },
    );
  }
  const idBytes = hexToBytes(envelopeId, 32);
  // +1 so no weight is zero and the total is never zero.
  const weights = Array.from({ length: n }, (_, i) => draw(idBytes, i) + 1n);
  const total = weights.reduce((s, w) => s + w, 0n);
  const rest = BigInt(amount - n);
  const parts = weights.map((w) => (rest * w) / total);
  const remainders = weights.map((w, i) => ({ i, r: (rest * w) % total }));
  let left = rest - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left--;
  }
  return ok(parts.map((p) => 1 + Number(p)));
}

export interface EnvelopeClaim {
  readonly member: MemberId;
  readonly amount: Minor;
  /** Which share (0-based): the opener's position among the first n distinct openers. */
  readonly index: number;
}

export interface EnvelopeOutcome {
  /** What each of the first n distinct openers got, in opening order. */
  readonly claims: readonly EnvelopeClaim[];
  /** Sum of the shares nobody opened (returned to the sender when the envelope expires). */
  readonly unclaimed: Minor;
  /** Openers after the envelope was empty, or opening it a second time: they get nothing. */
  readonly refused: readonly MemberId[];
}

/**
 * Hands the shares to `openers` (in fold order): the first n distinct members get shares 0..n−1;
 * a second open by the same member and any open after the n-th get nothing.
 */
export function openRedEnvelope(
  envelopeId: EntryId,
  amount: Minor,
  n: number,
  openers: readonly MemberId[],
): Result<EnvelopeOutcome, RedEnvelopeErrorCode> {
  const shares = redEnvelopeShares(envelopeId, amount, n);
  if (!shares.ok) return shares;
  const claims: EnvelopeClaim[] = [];
  const refused: MemberId[] = [];
  const seen = new Set<MemberId>();
  for (const member of openers) {
    if (seen.has(member) || claims.length >= n) {
      refused.push(member);
      continue;
    }
    seen.add(member);
    claims.push({ member, amount: shares.value[claims.length] as Minor, index: claims.length });
  }
  const unclaimed = shares.value.slice(claims.length).reduce((s, a) => s + a, 0);
  return ok({ claims, unclaimed, refused });
}
