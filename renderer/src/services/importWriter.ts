/**
 * Writes an import (shared/import) into an open group as ordinary signed entries. Everything is
 * decided before the first write: people mapped, items already in the group left out, every
 * event checked. Then new members join (each with a key of its own, see below) and this
 * device appends the expenses and payments in batches, reporting progress.
 *
 * A person of the file who is not in the group becomes a **new member**: a fresh Ed25519 key
 * made here signs their `member.joined` (seq 1), and is then thrown away. They show in the
 * group under their name like anyone else; nobody can write as them later (docs/import.md).
 */
import { WalletError } from '../../../shared/errors';
import type { ImportEvent, ImportChoices, ImportPlan } from '../../../shared/import';
import { importIdsOf, peopleInUse, resolvePlan } from '../../../shared/import';
import { createEntry } from '../../../shared/ledger/envelope';
import type { GroupId } from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';
import type { GroupSync } from '../../../shared/sync/group-sync';
import { loadSyncKit } from './syncKitLoader';

export interface ImportTarget {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  readonly sync: GroupSync;
  readonly now: () => number;
}

export interface ImportReport {
  readonly created: number;
  /** Already in the group (same importId): not written again. */
  readonly skipped: number;
  /** Became invalid once mapped (reported, not written). */
  readonly refused: number;
  readonly newMembers: number;
}

export type ImportProgress = (done: number, total: number) => void;

/** The importIds the group's history already holds, and its entry ids (statement rows name them). */
export function existingImportIds(sync: GroupSync): Set<string> {
  const entries = sync.entries();
  const known = importIdsOf(entries.map((e) => e.event));
  for (const e of entries) known.add(e.id);
  return known;
}

/** Writes a planned import: new members first, then every item not yet in the group. */
export async function writeImportPlan(
  target: ImportTarget,
  plan: ImportPlan,
  choices: ImportChoices,
  onProgress: ImportProgress,
): Promise<ImportReport> {
  const { sync } = target;
  await sync.whenIdle();
  const kit = await loadSyncKit();
  const memberOf: Record<string, MemberId> = {};
  const fresh = new Map<string, { name: string; identity: ReturnType<typeof kit.generateIdentity> }>();
  const members = new Set(sync.state.members.map((m) => m.id));
  for (const key of peopleInUse(plan)) {
    const choice = choices.people[key];
    if (!choice) continue; // resolvePlan reports it
    if ('member' in choice) {
      if (!members.has(choice.member)) {
        throw new WalletError('import.unknown-member', 'A chosen member is no longer in the group.');
      }
      memberOf[key] = choice.member;
    } else {
      const name = choice.newName.trim();
      if (name === '' || name.length > 80) {
        throw new WalletError('import.unmapped-person', 'A new member needs a name of 1 to 80 characters.');
      }
      const identity = kit.generateIdentity();
      memberOf[key] = kit.memberIdOf(identity.publicKey);
      fresh.set(key, { name, identity });
    }
  }
  const resolved = resolvePlan(plan, choices, memberOf, existingImportIds(sync));
  if (!resolved.ok) throw resolved.error;
  const { events, skipped, errors } = resolved.value;
  // Only people something will be written for join: a second import of the same file adds nobody.
  const named = new Set(events.flatMap(namedIn));
  const joining = [...fresh].filter(([key]) => named.has(memberOf[key]!));
  const total = joining.length + events.length;
  onProgress(0, total);
  await joinNewMembers(
    target,
    joining.map(([, p]) => p),
  );
  onProgress(joining.length, total);
  const created = await appendAll(sync, events, (done) => onProgress(joining.length + done, total));
  return { created, skipped, refused: errors.length, newMembers: joining.length };
}

/** Appends prepared events (bank drafts) that name only existing members. */
export async function writeImportEvents(
  target: ImportTarget,
  events: readonly ImportEvent[],
  onProgress: ImportProgress,
): Promise<ImportReport> {
  const { sync } = target;
  await sync.whenIdle();
  const existing = existingImportIds(sync);
  const todo = events.filter((e) => {
    const id = e.type === 'expense.created' ? e.expense.importId : e.importId;
    return id === undefined || !existing.has(id);
  });
  onProgress(0, todo.length);
  const created = await appendAll(sync, todo, (done) => onProgress(done, todo.length));
  return { created, skipped: events.length - todo.length, refused: 0, newMembers: 0 };
}

function namedIn(e: ImportEvent): MemberId[] {
  if (e.type === 'payment.recorded') return [e.from, e.to];
  const x = e.expense;
  const split = x.split;
  const inSplit =
    split.mode === 'equal' || split.mode === 'adjustment'
      ? split.members
      : Object.keys(
          split.mode === 'exact'
            ? split.amounts
            : split.mode === 'percent'
              ? split.basisPoints
              : split.weights,
        );
  return [...x.payers.map((p) => p.member), ...inSplit];
}

/** Signs each new member's join with their own fresh key and hands it to the group like an arrival. */
async function joinNewMembers(
  target: ImportTarget,
  people: readonly { name: string; identity: { publicKey: Uint8Array; secretKey: Uint8Array } }[],
): Promise<void> {
  if (people.length === 0) return;
  const { sync, groupId } = target;
  // The current epoch's key (docs/protocol.md §15), not the invite's: a departed member must not read these.
  const groupKey = sync.keys.writeKey;
  const kit = await loadSyncKit();
  let lamport = 0;
  for (const e of sync.entries()) if (e.header.lamport > lamport) lamport = e.header.lamport;
  const joins = await Promise.all(
    people.map((p) =>
      createEntry({
        identity: p.identity,
        groupId,
        groupKey,
        seq: 1,
        prev: null,
        lamport: lamport + 1,
        time: target.now(),
        event: { type: 'member.joined', name: p.name },
      }),
    ),
  );
  // A remote-origin update: the group verifies, stores and publishes these like any arrival.
  const carrier = new kit.Y.Doc();
  const map = carrier.getMap(kit.ENTRIES_MAP);
  carrier.transact(() => {
    for (const j of joins) map.set(j.id, j.bytes);
  });
  kit.Y.applyUpdate(sync.doc, kit.Y.encodeStateAsUpdate(carrier), 'import');
  carrier.destroy();
  await sync.whenIdle();
  const members = new Set(sync.state.members.map((m) => m.id));
  const missing = joins.find((j) => !members.has(j.entry.header.author));
  if (missing) {
    throw new WalletError(
      'import.member-refused',
      'A new member could not be added to the group; nothing else was written.',
    );
  }
}

/** Events per store write: big enough to write 10k rows in seconds, small enough for progress to move. */
const BATCH = 500;

/**
 * Appends events as this device's member, in batches (GroupSync.appendMany: one store write, one
 * document transaction and one fold per batch); progress after each. Returns how many were written.
 */
async function appendAll(
  sync: GroupSync,
  events: readonly ImportEvent[],
  onProgress: (done: number) => void,
): Promise<number> {
  let done = 0;
  for (let start = 0; start < events.length; start += BATCH) {
    const batch = events.slice(start, start + BATCH);
    await sync.appendMany(batch);
    done += batch.length;
    onProgress(done);
  }
  await sync.whenIdle();
  return done;
}
