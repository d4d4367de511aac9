/**
 * Which rooms a relay serves at all. The internet relay serves anyone's room (first token claims
 * it); a relay a desktop app serves on the local network must not: anyone on a café's Wi-Fi could
 * otherwise store their data on the laptop, or use it to relay their own traffic. So a LAN relay
 * serves only the groups its host holds, each with the token hash the host knows.
 *
 * A filter is either a map roomId → SHA-256 of the relay token (what `hashToken` gives, the same
 * value a relay stores), read at every upgrade so the host can add a group it just joined, or a
 * callback for anything else.
 */
import { hashToken, tokenHashesEqual } from './auth';

export type RoomFilter =
  | ReadonlyMap<string, Uint8Array>
  | ((roomId: string, tokenHash: Uint8Array) => boolean);

/** Close code and text for a room the relay does not serve (docs/relay.md, "Close codes"). */
export const ROOM_NOT_SERVED = { code: 4403, text: 'room not served by this relay; retry-after=60' } as const;

/**
 * True when `filter` lets `token` into `roomId` (always, without a filter). An unknown room and a
 * wrong token get the same answer, so a stranger learns nothing about which groups the host holds.
 */
export function roomServed(filter: RoomFilter | undefined, roomId: string, token: string): boolean {
  if (filter === undefined) return true;
  const presented = hashToken(token);
  if (typeof filter === 'function') return filter(roomId, presented);
  const expected = filter.get(roomId);
  return expected !== undefined && tokenHashesEqual(expected, presented);
}
