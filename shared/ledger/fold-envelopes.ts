/**
 * Red envelopes (lucky money) in the fold: `envelope.created`, `.opened` and `.reclaimed`.
 *
 * The shares are fixed by the creating entry's id (red-envelope.ts); who gets which is fixed by
 * the total order of the open entries: the k-th accepted open takes share k. Because entries are
 * applied in total order, every device that holds the same entries hands out the same shares —
 * the same result as `openRedEnvelope(id, amount, count, openers in total order)`.
 *
 * Opens that get nothing are listed as ignored, with a code: the sender's own open
 * (`envelope_own`), a second open by the same member (`envelope_already_opened`), an open after
 * the sender took the rest back (`envelope_reclaimed`) or after the last share went
 * (`envelope_empty`), an open of an envelope that does not exist at that point
 * (`unknown_envelope`). A reclaim by anyone but the sender is `envelope_not_sender`; a second one
 * `envelope_already_reclaimed`; one with nothing left `envelope_empty`.
 *
 * Records are never changed in place: each open or reclaim puts a new object in the context, so
 * states handed out by the incremental fold keep what they showed (no detaching needed there).
 */
import { isCurrency } from '../money/currencies';
import type { Minor } from '../money/types';
import type { EventOf } from './events';
import { type FoldContext, type Problem, problem, shortId } from './fold-context';
import { redEnvelopeShares } from './red-envelope';
import type { EntryId, RedEnvelopeState, VerifiedEntry } from './types';

/** One envelope while the fold runs: what the state shows, and the shares still to hand out. */
export interface RedEnvelopeRecord {
  readonly state: RedEnvelopeState;
  /** All `count` shares in index order (from redEnvelopeShares). */
  readonly shares: readonly Minor[];
}

export function applyEnvelopeCreated(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'envelope.created'>,
): Problem | undefined {
  if (!isCurrency(ev.currency)) {
    return problem('unknown_currency', `“${ev.currency}” is not a currency code we know.`);
  }
  // The schema bounds each field; only here are amount and count seen together (count ≤ amount).
  const shares = redEnvelopeShares(entry.id, ev.amount, ev.count);
  if (!shares.ok) return problem(shares.error.code, shares.error.message);
  const h = entry.header;
  const state: RedEnvelopeState = {
    id: entry.id,
    author: h.author,
    amount: ev.amount,
    currency: ev.currency,
    count: ev.count,
    date: ev.date,
    ...(ev.note !== undefined ? { note: ev.note } : {}),
    lamport: h.lamport,
    time: h.time,
    claims: [],
    unclaimed: ev.amount,
    reclaimedBy: null,
  };
  ctx.redEnvelopes.set(entry.id, { state, shares: shares.value });
  return undefined;
}

function findEnvelope(ctx: FoldContext, id: EntryId): RedEnvelopeRecord | Problem {
  return ctx.redEnvelopes.get(id) ?? problem('unknown_envelope', `There is no red envelope ${shortId(id)}….`);
}

export function applyEnvelopeOpened(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'envelope.opened'>,
): Problem | undefined {
  const found = findEnvelope(ctx, ev.envelope);
  if ('code' in found) return found;
  const { state, shares } = found;
  const opener = entry.header.author;
  if (opener === state.author) return problem('envelope_own', 'The sender cannot open their own envelope.');
  if (state.claims.some((c) => c.member === opener)) {
    return problem('envelope_already_opened', 'This member already opened the envelope.');
  }
  if (state.reclaimedBy !== null) {
    return problem('envelope_reclaimed', 'The sender took back the rest before this open.');
  }
  const index = state.claims.length;
  if (index >= state.count) return problem('envelope_empty', 'Every share of the envelope was taken.');
  const amount = shares[index]!;
  ctx.redEnvelopes.set(state.id, {
    shares,
    state: {
      ...state,
      claims: [
        ...state.claims,
        {
          member: opener,
          amount,
          index,
          entryId: entry.id,
          lamport: entry.header.lamport,
          time: entry.header.time,
        },
      ],
      unclaimed: state.unclaimed - amount,
    },
  });
  return undefined;
}

export function applyEnvelopeReclaimed(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'envelope.reclaimed'>,
): Problem | undefined {
  const found = findEnvelope(ctx, ev.envelope);
  if ('code' in found) return found;
  const { state, shares } = found;
  if (entry.header.author !== state.author) {
    return problem('envelope_not_sender', 'Only the sender can take back the rest of an envelope.');
  }
  if (state.reclaimedBy !== null) {
    return problem('envelope_already_reclaimed', 'The sender already took back the rest.');
  }
  if (state.claims.length >= state.count) {
    return problem('envelope_empty', 'Every share of the envelope was taken: nothing to take back.');
  }
  ctx.redEnvelopes.set(state.id, { shares, state: { ...state, reclaimedBy: entry.id } });
  return undefined;
}

/** The envelopes of the state, in creation (total) order. */
export function redEnvelopeStates(ctx: FoldContext): RedEnvelopeState[] {
  const out: RedEnvelopeState[] = [];
  for (const record of ctx.redEnvelopes.values()) out.push(record.state);
  return out;
}
