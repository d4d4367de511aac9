/**
 * Presence ("Bo is online", "typing…") over Yjs awareness. Awareness states come from any
 * peer holding the relay token and are not signed, so they are treated as hints: shapes are
 * checked, unknown members are hidden, and nothing here ever touches the ledger.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { MemberId } from '../money/types';

export interface PresenceState {
  readonly member: MemberId;
  readonly name: string;
  readonly typing: boolean;
  readonly online: boolean;
}

const MEMBER_RE = /^[0-9a-f]{64}$/;

function asPresence(value: unknown): PresenceState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.member !== 'string' || !MEMBER_RE.test(v.member)) return undefined;
  if (typeof v.name !== 'string' || v.name.length > 80) return undefined;
  return { member: v.member, name: v.name, typing: v.typing === true, online: v.online !== false };
}

/**
 * Other devices' presence, one row per member (a member on two devices is typing if either is),
 * sorted by member id. `isMember` hides claims by keys that are not in the group.
 */
export function readPresence(awareness: Awareness, isMember: (id: MemberId) => boolean): PresenceState[] {
  const byMember = new Map<MemberId, PresenceState>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const p = asPresence(state);
    if (!p?.online || !isMember(p.member)) continue;
    const seen = byMember.get(p.member);
    byMember.set(p.member, seen ? { ...seen, typing: seen.typing || p.typing } : p);
  }
  return [...byMember.values()].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
}

export function setLocalPresence(awareness: Awareness, presence: PresenceState): void {
  awareness.setLocalState({ ...presence });
}

/**
 * One row per member over several transports' presence lists (a member seen through the usual
 * relay and through the LAN is one member; typing if any of them says so), sorted by member id.
 */
export function mergePresence(lists: readonly (readonly PresenceState[])[]): PresenceState[] {
  const byMember = new Map<MemberId, PresenceState>();
  for (const list of lists) {
    for (const p of list) {
      const seen = byMember.get(p.member);
      byMember.set(p.member, seen ? { ...seen, typing: seen.typing || p.typing } : p);
    }
  }
  return [...byMember.values()].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
}
