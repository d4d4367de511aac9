/**
 * The relay's side of the token hand-over (docs/relay.md "Relay tokens"; wire format in
 * shared/sync/relay-handover.ts): reading a request off a room's WebSocket, the checks in order
 * (signature bound to this room and this connection's token, then author), and closing
 * connections whose token has expired. Which backend stores the set is the caller's business.
 */
import type { Logger } from 'pino';
import type { GroupId } from '../shared/ledger/types';
import {
  decodeHandOverPayload,
  encodeHandOverReply,
  HANDOVER_REQUEST,
  type HandOverOutcome,
  type HandOverRequest,
  verifyHandOver,
} from '../shared/sync/relay-handover';
import { CloseCode, type RelayConnection } from './connection';
import { admittedRecord, type HandOver, type TokenSet } from './token-set';

export { MESSAGE_RELAY_TOKEN } from '../shared/sync/relay-handover';

/** Close text of a connection whose token the room no longer accepts (code 4401). */
export const TOKEN_EXPIRED_TEXT = 'relay token expired';

/**
 * A hand-over request from the bytes after the message type; null when it is not one (a reply
 * sub-type from a client, a short or long payload, epoch 0): the caller treats it as malformed.
 */
export function readHandOverMessage(body: Uint8Array): HandOverRequest | null {
  if (body.byteLength < 1 || body[0] !== HANDOVER_REQUEST) return null;
  return decodeHandOverPayload(body.subarray(1));
}

/**
 * The outcome of a request on a connection admitted with `fromHash`: a bad signature first
 * (it proves nothing about the author), then an author the room does not know, then `apply`
 * (the backend: rules, cap, persistence).
 */
export async function decideHandOver(
  roomId: string,
  fromHash: string,
  request: HandOverRequest,
  authorKnown: boolean,
  apply: (handOver: HandOver) => Promise<HandOverOutcome>,
): Promise<HandOverOutcome> {
  let signed = false;
  try {
    signed = await verifyHandOver(roomId as GroupId, fromHash, request);
  } catch {
    // A key that is not a curve point: as good as a bad signature.
  }
  if (!signed) return 'bad_signature';
  if (!authorKnown) return 'unknown_author';
  return apply({ fromHash, toHash: request.toHash, epoch: request.epoch, addedBy: request.author });
}

/** What answering a hand-over needs of the relay. */
export interface HandOverHost {
  readonly log: Logger;
  /** False on a relay that takes no hand-overs (a LAN relay). */
  readonly takesHandOvers: boolean;
  handOverTokens(roomId: string, request: HandOver): Promise<HandOverOutcome>;
  /** Counts an answered hand-over (the relay's metrics). */
  countHandOver?(outcome: HandOverOutcome): void;
}

/**
 * Decides a request off the room's batch (a signature check and a store write must not hold up
 * its updates) and answers the sender only, once the new set is stored. One at a time per
 * connection (its messages already count against its rate limit); a store failure is `busy`.
 */
export async function answerHandOver(
  roomId: string,
  host: HandOverHost,
  conn: RelayConnection,
  request: HandOverRequest,
  authorKnown: boolean,
): Promise<void> {
  const reply = (outcome: HandOverOutcome): void => conn.send(encodeHandOverReply(outcome, request.epoch));
  if (!host.takesHandOvers) {
    host.countHandOver?.('not_supported');
    return reply('not_supported');
  }
  if (conn.handOverPending) {
    host.countHandOver?.('busy');
    return reply('busy');
  }
  conn.handOverPending = true;
  let outcome: HandOverOutcome;
  try {
    outcome = await decideHandOver(roomId, conn.tokenHash, request, authorKnown, (handOver) =>
      host.handOverTokens(roomId, handOver),
    );
  } catch (error) {
    host.log.warn({ room: roomId, err: error }, 'token hand-over failed; answered busy');
    outcome = 'busy';
  } finally {
    conn.handOverPending = false;
  }
  host.log.info({ room: roomId, epoch: request.epoch, outcome }, 'token hand-over');
  host.countHandOver?.(outcome);
  reply(outcome);
}

/**
 * Closes (4401) every open connection of `rooms` whose token is no longer a live record of its
 * room's set. Run from the relay's periodic sweep: one set read per loaded room (a cache hit in
 * one process), nothing on the message path. A set that cannot be read closes nothing.
 */
export async function closeExpiredConnections(
  rooms: Iterable<{ readonly id: string; readonly conns: ReadonlySet<RelayConnection> }>,
  tokenSet: (roomId: string) => Promise<TokenSet | undefined>,
  now: () => number,
  log: Logger,
): Promise<number> {
  let closed = 0;
  for (const room of [...rooms]) {
    if (room.conns.size === 0) continue;
    let records: TokenSet | undefined;
    try {
      records = await tokenSet(room.id);
    } catch (error) {
      log.warn({ room: room.id, err: error }, 'cannot read the room token set to expire connections');
      continue;
    }
    if (records === undefined) continue;
    const at = now();
    for (const conn of room.conns) {
      if (conn.closing || admittedRecord(records, conn.tokenHash, at) !== null) continue;
      conn.reject('token_expired', CloseCode.tokenRefused, TOKEN_EXPIRED_TEXT);
      closed += 1;
    }
  }
  return closed;
}
