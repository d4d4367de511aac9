/**
 * One person, several devices, in the fold (docs/protocol.md §16).
 *
 * A person's member id is their identity key; a linked device signs with a key of its own (its own
 * chain: two devices of one person never fork each other) and a certificate signed by the person
 * (shared/crypto/device-cert.ts) says whose device it is. Rules, decided in total order:
 * - `device.linked` takes effect when its certificate is valid, the person has not departed, and
 *   the author is the device itself (its first entry in the group) or the person, or another
 *   active device of theirs. The person need not be a member yet, and the group need not exist
 *   yet: a linked device joins (`member.joined`) or creates the group (`group.created`) for its
 *   person after its `device.linked`, and those entries are the person's. The device key must be new to the group: not a member's key, not
 *   linked before (to anyone; an unlinked device is never linked again).
 * - From then on, every entry by the device is folded as the person's: the person is the author
 *   for every check ("edit own expense", approvals, hand-overs, envelopes…), for balances, names
 *   and "you". So a device can do exactly what its person can, no more.
 * - `device.unlinked` by the person (or any of their active devices, the device itself included):
 *   the device's entries after it in the order are ignored (`device_unlinked`); what it wrote
 *   before stays, like a departed member's.
 * - Entries by a key that is neither a member nor a linked device stay a stranger's (`not_member`).
 *
 * Device records are replaced, never changed in place (the incremental fold hands states out).
 */
import { verifyDeviceCertificate } from '../crypto/device-cert';
import type { MemberId } from '../money/types';
import type { EventOf } from './events';
import { type FoldContext, type Mutable, type Problem, problem, shortId } from './fold-context';
import { departedAuthor } from './fold-membership';
import type { DeviceState, VerifiedEntry } from './types';

export type DeviceRecord = Mutable<DeviceState>;

/** The person an author key stands for: the person of a linked device, else the key itself. */
export function personOf(ctx: FoldContext, author: MemberId): MemberId {
  return ctx.devices.get(author)?.person ?? author;
}

const unlinked = (d: DeviceState): Problem =>
  problem('device_unlinked', `The device ${shortId(d.device)}… was unlinked before this entry.`);

/**
 * The entry as its person wrote it: for a linked device, the same entry with the person as the
 * header's author (the chain fields stay the device's: placement already checked them). A problem
 * when the device was unlinked; the entry itself for any other author.
 */
export function asPerson(ctx: FoldContext, entry: VerifiedEntry): VerifiedEntry | Problem {
  const device = ctx.devices.get(entry.header.author);
  if (device === undefined) return entry;
  if (device.unlinkedBy !== undefined) return unlinked(device);
  return { id: entry.id, header: { ...entry.header, author: device.person }, event: entry.event };
}

export function applyDeviceLinked(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'device.linked'>,
): Problem | undefined {
  const author = entry.header.author;
  if (author !== ev.device) {
    // Not self-published: the author must be the person or one of their active devices.
    const by = ctx.devices.get(author);
    if (by?.unlinkedBy !== undefined) return unlinked(by);
    if ((by?.person ?? author) !== ev.person) {
      return problem('not_device_owner', 'Only the device itself or its person links a device.');
    }
  }
  // The person need not be a member yet: a device may join (or create the group) for them.
  const person = ctx.members.get(ev.person);
  const departed = person && departedAuthor(person);
  if (departed) return departed;
  const known = ctx.devices.get(ev.device);
  if (known) {
    if (known.unlinkedBy !== undefined) {
      return problem('relink_not_allowed', 'An unlinked device cannot be linked again; link a new key.');
    }
    return known.person === ev.person
      ? problem('already_linked', 'The device is already linked.')
      : problem('device_taken', 'The device key is already linked to another person.');
  }
  if (ctx.members.has(ev.device)) {
    return problem('device_taken', 'The device key is a member’s own key.');
  }
  if (!verifyDeviceCertificate(ev)) {
    return problem('bad_certificate', 'The device certificate is not signed by the person.');
  }
  const record: DeviceRecord = {
    device: ev.device,
    person: ev.person,
    created: ev.created,
    linkedBy: entry.id,
  };
  if (ev.name !== undefined) record.name = ev.name;
  // Only the device's own signature vouches that it holds the X25519 secret.
  if (ev.x25519 !== undefined && author === ev.device) record.x25519 = ev.x25519;
  ctx.devices.set(ev.device, record);
  return undefined;
}

/** `entry` is already the person's (asPerson): its author is the person. */
export function applyDeviceUnlinked(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'device.unlinked'>,
): Problem | undefined {
  const device = ctx.devices.get(ev.device);
  if (!device) return problem('unknown_device', `${shortId(ev.device)}… is not a linked device.`);
  if (device.person !== entry.header.author) {
    return problem('not_device_owner', 'Only the device’s person unlinks it.');
  }
  if (device.unlinkedBy !== undefined) return problem('device_unlinked', 'The device is already unlinked.');
  ctx.devices.set(ev.device, { ...device, unlinkedBy: entry.id });
  return undefined;
}

/** Copies for a state, in the order linked. */
export function deviceStates(ctx: FoldContext): DeviceState[] {
  return [...ctx.devices.values()].map((d) => ({ ...d }));
}
