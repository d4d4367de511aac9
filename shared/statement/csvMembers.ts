/** Display names of members in statements: unique, so that every share column can be told apart. */
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';

const shortId = (id: MemberId): string => id.slice(0, 8);

/**
 * Members in the order they joined (then by id), each with a name unique within the group:
 * two members called "Ann" become "Ann (1a2b3c4d)" and "Ann (9f8e7d6c)".
 */
export function memberNames(state: GroupState): Map<MemberId, string> {
  const members = [...state.members].sort((a, b) =>
    a.joinedAt !== b.joinedAt ? a.joinedAt - b.joinedAt : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const count = new Map<string, number>();
  for (const m of members) count.set(m.name, (count.get(m.name) ?? 0) + 1);
  return new Map(
    members.map((m) => [m.id, count.get(m.name)! > 1 ? `${m.name} (${shortId(m.id)})` : m.name]),
  );
}

/** Name of a member, or the start of their id if they are not (or no longer) in the member list. */
export function nameOf(names: ReadonlyMap<MemberId, string>, id: MemberId): string {
  return names.get(id) ?? shortId(id);
}
