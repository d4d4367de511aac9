import { describe, expect, it } from 'vitest';
import { memberId } from './fold-testkit';
import { canOpen, canReclaim, ENVELOPE_EXPIRY_MS } from './red-envelope-expiry';
import type { RedEnvelopeState } from './types';

const A = memberId('a');
const B = memberId('b');
const C = memberId('c');
const T = 1_700_000_000_000;
const envelope = (over: Partial<RedEnvelopeState> = {}): RedEnvelopeState => ({
  id: 'e'.repeat(64),
  author: A,
  amount: 100,
  currency: 'CNY',
  count: 2,
  date: '2026-02-17',
  lamport: 5,
  time: T,
  claims: [],
  unclaimed: 100,
  reclaimedBy: null,
  ...over,
});
const claim = (member: string) => ({
  member,
  amount: 50,
  index: 0,
  entryId: 'f'.repeat(64),
  lamport: 6,
  time: T,
});

describe('taking back the rest', () => {
  it('is offered to the sender only, from 24 h after sending, while something is left', () => {
    expect(canReclaim(envelope(), A, T + ENVELOPE_EXPIRY_MS - 1)).toBe(false);
    expect(canReclaim(envelope(), A, T + ENVELOPE_EXPIRY_MS)).toBe(true);
    expect(canReclaim(envelope(), B, T + ENVELOPE_EXPIRY_MS)).toBe(false);
    expect(canReclaim(envelope({ reclaimedBy: 'd'.repeat(64) }), A, T + ENVELOPE_EXPIRY_MS)).toBe(false);
    expect(canReclaim(envelope({ claims: [claim(B), claim(C)] }), A, T + ENVELOPE_EXPIRY_MS)).toBe(false);
  });
});

describe('opening', () => {
  it('is offered to other members who have not opened it while shares are left', () => {
    expect(canOpen(envelope(), B)).toBe(true);
    expect(canOpen(envelope(), A)).toBe(false);
    expect(canOpen(envelope({ claims: [claim(B)] }), B)).toBe(false);
    expect(canOpen(envelope({ claims: [claim(B), claim(C)] }), memberId('d'))).toBe(false);
    expect(canOpen(envelope({ reclaimedBy: 'd'.repeat(64) }), B)).toBe(false);
  });
});
