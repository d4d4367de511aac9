/**
 * Writing and reading `key.rotated` for one device (docs/protocol.md §15): the event that seals a
 * fresh epoch key to the remaining members, and the opener that finds this device's box in one.
 * The rules that make a rotation count are the fold's (fold-keys.ts).
 */
import { WalletError } from '../errors';
import { generateGroupKey } from '../crypto/group-key';
import type { Identity } from '../crypto/identity';
import { memberIdOf } from '../crypto/identity';
import { openEpochKey, sealEpochKey } from '../crypto/sealed-key';
import { x25519KeyPairOf } from '../crypto/x25519';
import type { EventOf } from './events';
import { MAX_SEALED, MAX_SHARED_KEYS } from './events';
import type { KeyOpener, OpenedKey } from './log-keys';
import type { EntryId, GroupId, GroupState } from './types';

export interface Rotation {
  readonly event: EventOf<'key.rotated'>;
  /** The new epoch key (the author's device learns it again from its own box). */
  readonly key: Uint8Array;
  /** Active members left out: they published no X25519 key. */
  readonly unsealed: readonly string[];
}

/**
 * A rotation to the next epoch, sealed to every active member of `state` with a published X25519
 * key (the author included) and to every linked device of theirs that published one (§16).
 * Departed members and unlinked devices are never recipients.
 * @throws WalletError `not_member` when the author is not an active member, `no_x25519` when the
 *   author published no X25519 key (they could not read the new epoch themself), `too_many_members`.
 */
export function newRotation(
  state: GroupState,
  author: string,
  key: Uint8Array = generateGroupKey(),
): Rotation {
  const me = state.members.find((m) => m.id === author);
  if (!me || me.status !== undefined) {
    throw new WalletError('not_member', 'Only an active member rotates the group key.');
  }
  if (me.x25519 === undefined) {
    throw new WalletError('no_x25519', 'Your join published no X25519 key, so no key can be sealed to you.');
  }
  const epoch = (state.keys?.epoch ?? 0) + 1;
  const active = state.members.filter((m) => m.status === undefined);
  const activeIds = new Set(active.map((m) => m.id));
  const targets: { id: string; x25519: string }[] = [];
  for (const m of active) if (m.x25519 !== undefined) targets.push({ id: m.id, x25519: m.x25519 });
  for (const d of state.devices ?? []) {
    if (d.x25519 !== undefined && d.unlinkedBy === undefined && activeIds.has(d.person)) {
      targets.push({ id: d.device, x25519: d.x25519 });
    }
  }
  if (targets.length > MAX_SEALED) {
    throw new WalletError(
      'too_many_members',
      `A rotation seals to at most ${MAX_SEALED} members and devices.`,
    );
  }
  const sealed = targets.map((t) => {
    const to = { groupId: state.groupId, epoch, member: t.id, x25519: t.x25519 };
    return { member: t.id, x25519: t.x25519, box: sealEpochKey(key, to) };
  });
  return {
    event: { type: 'key.rotated', epoch, sealed },
    key,
    unsealed: active.filter((m) => m.x25519 === undefined).map((m) => m.id),
  };
}

/**
 * The KeyOpener of `identity` in `groupId`: its own box of a key.rotated, opened, else the key
 * `granted` holds for that entry (handed over when this device was linked, §16); and the boxes
 * of a key.shared addressed to it, each for the rotation it names.
 */
export function keyOpenerFor(
  identity: Identity,
  groupId: GroupId,
  granted?: ReadonlyMap<EntryId, Uint8Array>,
): KeyOpener {
  const me = memberIdOf(identity.publicKey);
  const pair = x25519KeyPairOf(identity);
  const open = (box: string, epoch: number, x25519: string) =>
    openEpochKey(box, { groupId, epoch, member: me, x25519 }, pair.secretKey);
  return (entry) => {
    const ev = entry.event;
    if (entry.header.groupId !== groupId) return [];
    if (ev.type === 'key.rotated') {
      const mine = ev.sealed.find((s) => s.member === me);
      const key = mine ? open(mine.box, ev.epoch, mine.x25519) : granted?.get(entry.id);
      return key ? [{ rotation: entry.id, key }] : [];
    }
    if (ev.type !== 'key.shared' || ev.member !== me) return [];
    const out: OpenedKey[] = [];
    for (const k of ev.keys) {
      const key = open(k.box, k.epoch, ev.x25519);
      if (key) out.push({ rotation: k.rotation, key });
    }
    return out;
  };
}

/**
 * A key.shared giving `to` the keys of `rotations` that `keyOf` holds, sealed to its X25519 key;
 * undefined when this device holds none of them.
 */
export function newKeyShare(
  state: GroupState,
  to: { readonly member: string; readonly x25519: string; readonly rotations: readonly EntryId[] },
  keyOf: (rotation: EntryId) => Uint8Array | undefined,
): EventOf<'key.shared'> | undefined {
  const keys: { rotation: EntryId; epoch: number; box: string }[] = [];
  for (const id of to.rotations.slice(0, MAX_SHARED_KEYS)) {
    const rotation = state.keys?.rotations.find((r) => r.id === id);
    const key = keyOf(id);
    if (!rotation || !key) continue;
    const target = { groupId: state.groupId, epoch: rotation.epoch, member: to.member, x25519: to.x25519 };
    keys.push({ rotation: id, epoch: rotation.epoch, box: sealEpochKey(key, target) });
  }
  if (keys.length === 0) return undefined;
  return { type: 'key.shared', member: to.member, x25519: to.x25519, keys };
}
