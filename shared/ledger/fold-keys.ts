/**
 * Key epochs in the fold (docs/protocol.md §15). Epoch 0 is the invite's group key; each valid
 * `key.rotated` names epoch n and seals a new key to members. Rules, decided in total order:
 * - the author is an active member (checked for every event by fold.ts);
 * - epoch = current + 1 starts a new epoch; epoch = current is a concurrent rotation of the
 *   current epoch (kept: its key was sealed to its recipients, who read what was written under
 *   it); anything else is ignored (`epoch_skipped`, `stale_rotation`);
 * - every recipient is an active member, or a linked device (§16) of an active member that is
 *   not unlinked, sealed to the X25519 key it published, named once; the author (the person, for
 *   a device's entry) is one of them. A rotation sealed to a departed member or an unlinked device
 *   is ignored (`sealed_to_departed`, `sealed_to_unlinked`): no valid key reaches them.
 * The epoch's key is the one of its first valid rotation in total order (the winner); writers
 * use the winner of the highest epoch. Active members without a published key are left out
 * of a rotation and listed in its `unsealed` (they cannot read what follows).
 *
 * Records are never changed once pushed, so states of the incremental fold can share them.
 */
import type { MemberId } from '../money/types';
import type { EventOf } from './events';
import { type FoldContext, type Problem, problem, shortId } from './fold-context';
import { isActive } from './fold-membership';
import type { EntryId, KeyEpochsState, KeyRotationState, MissingKeysState, VerifiedEntry } from './types';

export function applyKeyRotated(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'key.rotated'>,
): Problem | undefined {
  const current = ctx.keyEpoch;
  if (ev.epoch > current + 1) {
    return problem('epoch_skipped', `Epoch ${ev.epoch} skips epochs: the current one is ${current}.`);
  }
  if (ev.epoch < current) {
    return problem('stale_rotation', `Epoch ${ev.epoch} is older than the current epoch ${current}.`);
  }
  const recipients = new Set<MemberId>();
  for (const s of ev.sealed) {
    if (recipients.has(s.member)) {
      return problem('duplicate_recipient', `${shortId(s.member)}… is named twice.`);
    }
    recipients.add(s.member);
    const wrong = recipientProblem(ctx, s.member, s.x25519);
    if (wrong) return wrong;
  }
  const author = entry.header.author;
  if (!recipients.has(author)) {
    return problem('author_not_sealed', 'The author must seal the new key to themself.');
  }
  const unsealed: MemberId[] = [];
  for (const m of ctx.members.values()) if (isActive(m) && !recipients.has(m.id)) unsealed.push(m.id);
  const winner = ev.epoch === current + 1;
  ctx.keyRotations.push({
    id: entry.id,
    epoch: ev.epoch,
    author,
    recipients: [...recipients].sort(),
    unsealed: unsealed.sort(),
    winner,
    lamport: entry.header.lamport,
    time: entry.header.time,
  });
  if (winner) {
    ctx.keyEpoch = ev.epoch;
    ctx.currentRotation = ctx.keyRotations.length - 1;
  }
  return undefined;
}

/**
 * `key.shared`: epoch keys sealed to one active member (or linked device) after the fact, for
 * rotations it was not sealed: a member who joined after a rotation. Rules: the recipient as for
 * a rotation (`recipientProblem`); every rotation named is a valid rotation of that epoch
 * (`unknown_rotation`, `epoch_mismatch`), named once (`duplicate_rotation`). The fold cannot see
 * inside a box: a key that opens nothing only costs its recipient (docs/threat-model.md).
 */
export function applyKeyShared(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'key.shared'>,
): Problem | undefined {
  const wrong = recipientProblem(ctx, ev.member, ev.x25519);
  if (wrong) return wrong;
  const named = new Set<EntryId>();
  for (const k of ev.keys) {
    if (named.has(k.rotation))
      return problem('duplicate_rotation', `${shortId(k.rotation)}… is named twice.`);
    named.add(k.rotation);
    const rotation = ctx.keyRotations.find((r) => r.id === k.rotation);
    if (!rotation) return problem('unknown_rotation', `${shortId(k.rotation)}… is not a key rotation here.`);
    if (rotation.epoch !== k.epoch) {
      return problem(
        'epoch_mismatch',
        `${shortId(k.rotation)}… rotated to epoch ${rotation.epoch}, not ${k.epoch}.`,
      );
    }
  }
  ctx.keyShares.push({
    id: entry.id,
    author: entry.header.author,
    member: ev.member,
    rotations: ev.keys.map((k) => k.rotation),
  });
  return undefined;
}

/** Why `id` may not receive a box sealed to `x25519`, if it may not. */
function recipientProblem(ctx: FoldContext, id: MemberId, x25519: string): Problem | undefined {
  const device = ctx.devices.get(id);
  const member = ctx.members.get(device?.person ?? id);
  if (!member) return problem('unknown_member', `${shortId(id)}… is not a member of the group.`);
  if (!isActive(member)) {
    return problem('sealed_to_departed', `The key is sealed to ${shortId(id)}…, who has left.`);
  }
  if (device?.unlinkedBy !== undefined) {
    return problem('sealed_to_unlinked', `The key is sealed to ${shortId(id)}…, an unlinked device.`);
  }
  if ((device ?? member).x25519 !== x25519) {
    return problem('x25519_mismatch', `${shortId(id)}… did not publish that X25519 key.`);
  }
  return undefined;
}

/**
 * The epochs for the state. `needsRotation`: someone who can read the current epoch has departed
 * or was unlinked (its recipients; for epoch 0 everyone who ever joined and every device ever
 * linked, which got the group key with its link), so a remaining member should rotate.
 */
export function keyEpochsState(ctx: FoldContext): KeyEpochsState {
  const current: KeyRotationState | undefined =
    ctx.currentRotation === undefined ? undefined : ctx.keyRotations[ctx.currentRotation];
  const readers: Iterable<MemberId> = current ? current.recipients : ctx.members.keys();
  let needsRotation = false;
  for (const id of readers) {
    const m = ctx.members.get(id);
    if (m && !isActive(m)) needsRotation = true;
  }
  const deviceReaders = current ? current.recipients : ctx.devices.keys();
  for (const id of deviceReaders) {
    const d = ctx.devices.get(id);
    if (!d) continue;
    const person = ctx.members.get(d.person);
    if (d.unlinkedBy !== undefined || (person !== undefined && !isActive(person))) needsRotation = true;
  }
  return {
    epoch: ctx.keyEpoch,
    current: current?.id ?? null,
    rotations: ctx.keyRotations.slice(),
    needsRotation,
    shares: ctx.keyShares.slice(),
    missingKeys: missingKeys(ctx),
  };
}

/** Active members with an X25519 key who hold no box for some winning rotation, by id. */
function missingKeys(ctx: FoldContext): MissingKeysState[] {
  const winners = ctx.keyRotations.filter((r) => r.winner);
  if (winners.length === 0) return [];
  const shared = new Map<MemberId, Set<EntryId>>();
  for (const s of ctx.keyShares) {
    const set = shared.get(s.member) ?? new Set<EntryId>();
    shared.set(s.member, set);
    for (const r of s.rotations) set.add(r);
  }
  const out: MissingKeysState[] = [];
  for (const m of ctx.members.values()) {
    if (!isActive(m) || m.x25519 === undefined) continue;
    const has = shared.get(m.id);
    const missing = winners.filter((r) => !r.recipients.includes(m.id) && !has?.has(r.id)).map((r) => r.id);
    if (missing.length > 0) out.push({ member: m.id, x25519: m.x25519, rotations: missing });
  }
  return out.sort((a, b) => (a.member < b.member ? -1 : 1));
}
