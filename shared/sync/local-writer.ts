/**
 * Writing this device's own entries: sign the next entries of its chain for a list of events,
 * store them in ONE store write (all or nothing), then add them to the verifier. Nothing is in the
 * log before the store has it, so a failed write leaves the seq free and nothing half-written.
 * Headers chain within the batch (seq + 1, prev = the entry before, lamport + 1), exactly what
 * writing them one at a time would give; each lamport is "largest accepted + 1" when its turn
 * comes, so the lamport rule always passes.
 */
import { WalletError } from '../errors';
import type { DeviceCertificate } from '../crypto/device-cert';
import type { Identity } from '../crypto/identity';
import { type CreatedEntry, createEntry, type WalletEventInput } from '../ledger/envelope';
import type { GroupLog } from '../ledger/group-log';
import { isJoin } from '../ledger/placement';
import { x25519PublicHex } from '../crypto/x25519';
import type { GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';
import type { Store } from './store';

export interface LocalWriteContext {
  readonly identity: Identity;
  /** The signing key's id (its chain), which is the member id unless this is a linked device. */
  readonly memberId: MemberId;
  /**
   * Set on a linked device (protocol §16): its first entry in a group is its own `device.linked`,
   * written here in front of whatever it writes first there.
   */
  readonly certificate?: DeviceCertificate | undefined;
  readonly groupId: GroupId;
  /** Also gives the key entries are written under (the current epoch's). */
  readonly log: GroupLog;
  readonly store: Store;
  readonly now: () => number;
}

/**
 * Signs, stores and logs this device's next entries for `events`, in order (a linked device's
 * first entry in the group is its `device.linked`, added in front).
 * @throws WalletError `not_member` (a member's first entry must be a join), `author_forked`, or
 *   createEntry's and the store's codes; nothing is stored or logged then.
 */
export async function writeLocalEntries(
  ctx: LocalWriteContext,
  events: readonly WalletEventInput[],
): Promise<CreatedEntry[]> {
  let next = ctx.log.nextHeaderFor(ctx.memberId);
  const created: CreatedEntry[] = [];
  const first = events[0];
  if (next.seq === 1 && ctx.certificate && first !== undefined && first.type !== 'device.linked') {
    events = [linkedEvent(ctx.certificate, ctx.identity), ...events];
  }
  for (const event of events) {
    if (next.seq === 1 && !isJoin(event.type)) {
      throw new WalletError('not_member', 'Join the group before writing to it.');
    }
    const entry = await createEntry({
      identity: ctx.identity,
      groupId: ctx.groupId,
      // key.shared goes under epoch 0's key, the one key its recipient (a joiner) holds (§15).
      groupKey: event.type === 'key.shared' ? ctx.log.inviteKey : ctx.log.writeKey,
      ...next,
      time: ctx.now(),
      event,
    });
    created.push(entry);
    next = { seq: next.seq + 1, prev: entry.id, lamport: next.lamport + 1 };
  }
  if (created.length === 0) return created;
  const receivedAt = ctx.now();
  await ctx.store.appendEntries(
    ctx.groupId,
    created.map(({ id, bytes, entry }) => ({
      id,
      groupId: ctx.groupId,
      author: entry.header.author,
      seq: entry.header.seq,
      lamport: entry.header.lamport,
      bytes,
      receivedAt,
      status: 'applied' as const,
      event: entry.event,
    })),
  );
  for (const entry of created) await ctx.log.appendLocal(entry);
  return created;
}

/** A device's own `device.linked`: its certificate and its X25519 key (rotations seal to it, §15). */
export function linkedEvent(certificate: DeviceCertificate, identity: Identity): WalletEventInput {
  return { type: 'device.linked', ...certificate, x25519: x25519PublicHex(identity) };
}
