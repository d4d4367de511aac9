/**
 * Helpers for the token hand-over tests (token-handover.test.ts, cluster.test.ts): a room with
 * an author who has written an entry over a raw WebSocket, signed hand-over requests and their
 * replies as the relay sends them.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Identity } from '../shared/crypto/identity';
import type { CreatedEntry } from '../shared/ledger/envelope';
import type { TestAuthor } from '../shared/ledger/test-fixtures';
import type { GroupId } from '../shared/ledger/types';
import {
  decodeHandOverReply,
  encodeHandOverRequest,
  HANDOVER_REPLY,
  type HandOverOutcome,
  MESSAGE_RELAY_TOKEN,
} from '../shared/sync/relay-handover';
import { roomAuthors } from './attacks/envelopes';
import { openRaw, type RawClient, waitFor } from './test-support';

/** A y-websocket update message (sync type 2) filing `entries` under their ids. */
export function entriesMessage(entries: readonly CreatedEntry[]): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<Uint8Array>('entries');
  doc.transact(() => {
    for (const entry of entries) map.set(entry.id, entry.bytes);
  });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

/** The hand-over replies a raw client received so far, in order. */
export function handOverReplies(raw: RawClient): Array<{ outcome: HandOverOutcome; epoch: number }> {
  return raw.received
    .filter((m) => m[0] === MESSAGE_RELAY_TOKEN && m[1] === HANDOVER_REPLY)
    .map((m) => decodeHandOverReply(m.subarray(2)) ?? { outcome: 'busy' as const, epoch: -1 });
}

/** Sends `message` and waits for the next hand-over reply. */
export async function askRelay(raw: RawClient, message: Uint8Array): Promise<HandOverOutcome> {
  const before = handOverReplies(raw).length;
  raw.ws.send(message);
  await waitFor(() => handOverReplies(raw).length > before, 10_000, 'a hand-over reply');
  return handOverReplies(raw)[before]!.outcome;
}

export function handOverMessage(
  signer: Identity,
  roomId: string,
  fromToken: string,
  epoch: number,
  toToken: string,
): Promise<Uint8Array> {
  return encodeHandOverRequest(signer, roomId as GroupId, fromToken, epoch, toToken);
}

/**
 * Opens `token` on `roomId` (claiming it when new) and has a fresh author write its join entry
 * on that connection: the room handles a connection's messages in order, so the author is known
 * to every later message of it.
 */
export async function authorIn(
  url: string,
  roomId: string,
  token: string,
): Promise<{ raw: RawClient; author: TestAuthor }> {
  const raw = await openRaw(url, roomId, token);
  const author = roomAuthors(roomId, 1)[0]!;
  raw.ws.send(entriesMessage([await author.join('Ann')]));
  return { raw, author };
}
