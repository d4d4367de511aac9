/**
 * Everything the first screen needs from the store, read in one go: the identity, the display
 * name, the groups and, per group, its cached view (when it still matches the stored entries,
 * decoded) and the "new since I last looked" count.
 *
 * Two readers produce it: `readFirstLook` here, through the Store, and the start-up prefetch
 * (boot/prefetch.ts), straight from IndexedDB while the app's code is still loading. Their
 * results are the same (firstLook.test.ts checks it).
 */
import type { GroupId } from '../../../shared/ledger/types';
import type { GroupRecord, IdentityRecord, Store } from '../../../shared/sync/store';
import { arrivalCounterOf, viewStoreOf } from './viewCache';
import { type CachedView, decodeView } from './viewRows';

export const DISPLAY_NAME = 'displayName';

export interface GroupFirstLook {
  readonly record: GroupRecord;
  /** The cached view, when it matches the stored entries. */
  readonly view: CachedView | undefined;
  /** Entries from others since lastSeenAt, when the store can count them without loading rows. */
  readonly unseen?: number | undefined;
}

export interface FirstLook {
  readonly identity: IdentityRecord | undefined;
  readonly displayName: string | undefined;
  /** Oldest first. */
  readonly groups: readonly GroupFirstLook[];
}

/** This device's member id: its public key in hex (shared/crypto/identity's memberIdOf). */
/** The member id of this wallet: the person's, also on a linked device (protocol §16). */
export function memberIdOfRecord(record: Pick<IdentityRecord, 'publicKey' | 'certificate'>): string {
  if (record.certificate) return record.certificate.person;
  return signerIdOfRecord(record);
}

/** The id of the key this device signs with. */
export function signerIdOfRecord(record: Pick<IdentityRecord, 'publicKey'>): string {
  let hex = '';
  for (const byte of record.publicKey) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Reads the first look through the Store (any Store; the view cache and counts where it has them). */
export async function readFirstLook(store: Store): Promise<FirstLook> {
  const [identity, displayName, records] = await Promise.all([
    store.getIdentity(),
    store.getSetting<string>(DISPLAY_NAME),
    store.listGroups(),
  ]);
  const views = viewStoreOf(store);
  const counter = arrivalCounterOf(store);
  const me = identity ? memberIdOfRecord(identity) : undefined;
  const groups = await Promise.all(
    records.map(async (record): Promise<GroupFirstLook> => {
      const id: GroupId = record.id;
      // The view and the count are extras: without them the group just opens the slow way.
      const [row, entries, heads, unseen] = await Promise.all([
        views?.getView(id).catch(() => undefined),
        store.countEntries(id),
        store.heads(id),
        counter && me ? counter.countArrivals(id, record.lastSeenAt, me).catch(() => undefined) : undefined,
      ]);
      return { record, view: decodeView(id, row, entries, heads), unseen };
    }),
  );
  return { identity, displayName, groups };
}
