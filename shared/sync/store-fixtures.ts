/** Test fixtures for store tests: rows shaped like real ones, without the crypto. */
import type { GroupRecord, StoredEntry } from './store';

let counter = 0;

/** A unique 64-hex id; the prefix keeps ids readable in failures. */
export function fakeId(prefix = ''): string {
  counter += 1;
  return (prefix + counter.toString(16)).padStart(64, '0').slice(-64);
}

export const AUTHOR_A = 'a'.repeat(64);
export const AUTHOR_B = 'b'.repeat(64);
export const GROUP_1 = '1'.repeat(32);
export const GROUP_2 = '2'.repeat(32);

export function fakeEntry(
  fields: Partial<StoredEntry> & Pick<StoredEntry, 'author' | 'seq' | 'lamport'>,
): StoredEntry {
  return {
    id: fakeId(),
    groupId: GROUP_1,
    bytes: new Uint8Array([fields.seq, fields.lamport, 7]),
    receivedAt: 1_000,
    status: 'applied',
    ...fields,
  };
}

export function fakeGroup(fields: Partial<GroupRecord> = {}): GroupRecord {
  return {
    id: GROUP_1,
    name: 'Flat 3B',
    groupKey: new Uint8Array(32).fill(9),
    relayUrl: 'ws://127.0.0.1:1234',
    createdAt: 100,
    lastSyncedAt: null,
    lastSeenAt: 100,
    ...fields,
  };
}
