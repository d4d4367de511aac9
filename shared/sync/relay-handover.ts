/**
 * The relay token hand-over (docs/protocol.md §15, "Relay token"; docs/relay.md): after a key
 * rotation, a device connected with a token the relay accepts asks it to accept the new epoch's
 * token too. One message on the room's WebSocket, signed by the device's group signing key, so
 * the relay can check who asked (an author with entries in the room) and that the request is
 * bound to this room, this connection's token, this epoch and this new token. Pure encoding,
 * used by both the app (to sign) and the relay (to check).
 */
import { sign, verify } from '../crypto/sign';
import { bytesToHex, hexToBytes, sha256 } from '../crypto/hash';
import { groupIdToBytes } from '../crypto/group-key';
import type { Identity } from '../crypto/identity';
import type { GroupId } from '../ledger/types';

/** y-websocket message type of a hand-over (y-protocols uses 0 … 3). */
export const MESSAGE_RELAY_TOKEN = 16;
/** Sub-types: the device's request, the relay's answer. */
export const HANDOVER_REQUEST = 0;
export const HANDOVER_REPLY = 1;

const DOMAIN = new TextEncoder().encode('tally/relay-handover/v1\u0000');
/** epoch (4) + new token hash (32) + author (32) + signature (64). */
export const HANDOVER_PAYLOAD_LENGTH = 4 + 32 + 32 + 64;
/** Epochs are u32 on the wire; a fold never gets near this. */
export const MAX_HANDOVER_EPOCH = 0xffff_ffff;

/** What the relay stores and compares instead of a token: SHA-256 of its 32 bytes (hex). */
export function relayTokenHash(token: string): string {
  return bytesToHex(sha256(hexToBytes(token, 32)));
}

export interface HandOverRequest {
  /** The epoch of the new token (greater than that of the token the connection used). */
  readonly epoch: number;
  /** SHA-256 of the new token, hex. */
  readonly toHash: string;
  /** The signing key (hex): an author of the room. */
  readonly author: string;
  readonly signature: Uint8Array;
}

/**
 * The signed bytes: domain ‖ room id (16) ‖ hash of the token the connection was admitted with
 * (32) ‖ epoch (u32 big-endian) ‖ hash of the new token (32). Binding the old token's hash means
 * a captured request cannot be replayed from another token or room.
 */
export function handOverSignedBytes(
  roomId: GroupId,
  fromHash: string,
  epoch: number,
  toHash: string,
): Uint8Array {
  const out = new Uint8Array(DOMAIN.length + 16 + 32 + 4 + 32);
  let at = 0;
  out.set(DOMAIN, at);
  at += DOMAIN.length;
  out.set(groupIdToBytes(roomId), at);
  at += 16;
  out.set(hexToBytes(fromHash, 32), at);
  at += 32;
  new DataView(out.buffer).setUint32(at, epoch, false);
  at += 4;
  out.set(hexToBytes(toHash, 32), at);
  return out;
}

/** The whole WebSocket message a device sends: type, sub-type, payload. */
export async function encodeHandOverRequest(
  signer: Identity,
  roomId: GroupId,
  fromToken: string,
  epoch: number,
  toToken: string,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(epoch) || epoch < 1 || epoch > MAX_HANDOVER_EPOCH) {
    throw new RangeError(`hand-over epoch out of range: ${epoch}`);
  }
  const toHash = relayTokenHash(toToken);
  const signed = handOverSignedBytes(roomId, relayTokenHash(fromToken), epoch, toHash);
  const signature = await sign(signer.secretKey, signed);
  const out = new Uint8Array(2 + HANDOVER_PAYLOAD_LENGTH);
  out[0] = MESSAGE_RELAY_TOKEN;
  out[1] = HANDOVER_REQUEST;
  new DataView(out.buffer).setUint32(2, epoch, false);
  out.set(hexToBytes(toHash, 32), 6);
  out.set(signer.publicKey, 38);
  out.set(signature, 70);
  return out;
}

/** Reads a request's payload (after type and sub-type); null when it is not exactly one. */
export function decodeHandOverPayload(payload: Uint8Array): HandOverRequest | null {
  if (payload.byteLength !== HANDOVER_PAYLOAD_LENGTH) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const epoch = view.getUint32(0, false);
  if (epoch < 1) return null;
  return {
    epoch,
    toHash: bytesToHex(payload.subarray(4, 36)),
    author: bytesToHex(payload.subarray(36, 68)),
    signature: payload.slice(68, 132),
  };
}

/** True when `request` is signed by its author for this room and this connection's token. */
export function verifyHandOver(
  roomId: GroupId,
  fromHash: string,
  request: HandOverRequest,
): Promise<boolean> {
  const signed = handOverSignedBytes(roomId, fromHash, request.epoch, request.toHash);
  return verify(hexToBytes(request.author, 32), signed, request.signature);
}

/**
 * The relay's answer. `ok`: the room accepts the new token (also when it already did).
 * Refusals: `token_expired` (the connection's own token is no longer accepted), `stale_epoch`
 * (not newer than the connection's token), `bad_signature`, `unknown_author` (no entries of
 * that key in the room), `too_many_tokens` (the room holds its maximum of live tokens),
 * `not_supported` (a relay that takes no hand-overs), `busy` (try again later).
 */
export const HANDOVER_OUTCOMES = [
  'ok',
  'token_expired',
  'stale_epoch',
  'bad_signature',
  'unknown_author',
  'too_many_tokens',
  'not_supported',
  'busy',
] as const;
export type HandOverOutcome = (typeof HANDOVER_OUTCOMES)[number];

export function encodeHandOverReply(outcome: HandOverOutcome, epoch: number): Uint8Array {
  const out = new Uint8Array(7);
  out[0] = MESSAGE_RELAY_TOKEN;
  out[1] = HANDOVER_REPLY;
  out[2] = HANDOVER_OUTCOMES.indexOf(outcome);
  new DataView(out.buffer).setUint32(3, epoch, false);
  return out;
}

/** Reads a reply's payload (after type and sub-type); null when malformed. */
export function decodeHandOverReply(payload: Uint8Array): { outcome: HandOverOutcome; epoch: number } | null {
  if (payload.byteLength !== 5) return null;
  const outcome = HANDOVER_OUTCOMES[payload[0]!];
  if (outcome === undefined) return null;
  const epoch = new DataView(payload.buffer, payload.byteOffset, 5).getUint32(1, false);
  return { outcome, epoch };
}
