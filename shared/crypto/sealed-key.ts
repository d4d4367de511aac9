/**
 * Sealing a group's epoch key to one member (docs/protocol.md §15), for `key.rotated`:
 *
 *   shared = X25519(ephemeral secret, recipient's published X25519 key)
 *   k      = HKDF-SHA256(ikm = shared, salt = ephemeral public ‖ recipient public,
 *                        info = "tally epoch-key v1", 32 bytes)
 *   box    = ephemeral public (32) ‖ XChaCha20-Poly1305(k, nonce = 24 zero bytes, epoch key, aad) (48)
 *   aad    = "tally/epoch-key/v1\0" ‖ group id (16) ‖ epoch (u32 BE) ‖ recipient Ed25519 key (32)
 *
 * k is fresh for every box (a new ephemeral key each time), so the fixed nonce never repeats
 * under one key. The AAD binds the box to its group, epoch and recipient: a box cannot be
 * replayed into another rotation or handed to another member.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import type { GroupId } from '../ledger/types';
import { assertGroupKey, groupIdToBytes } from './group-key';
import { bytesToHex, hexToBytes } from './hash';

export const SEALED_KEY_LENGTH = 32 + 32 + 16;
const INFO = new TextEncoder().encode('tally epoch-key v1');
const AAD_LABEL = new TextEncoder().encode('tally/epoch-key/v1\0');
const ZERO_NONCE = new Uint8Array(24);
export const MAX_EPOCH = 0xffff_ffff;

export interface SealTarget {
  readonly groupId: GroupId;
  readonly epoch: number;
  /** The recipient's Ed25519 public key (member id), hex. */
  readonly member: string;
  /** The recipient's published X25519 public key, hex. */
  readonly x25519: string;
}

function aadOf(t: SealTarget): Uint8Array {
  if (!Number.isInteger(t.epoch) || t.epoch < 0 || t.epoch > MAX_EPOCH) {
    throw new WalletError('invalid_epoch', 'an epoch is an integer from 0 to 2^32 − 1');
  }
  const aad = new Uint8Array(AAD_LABEL.length + 16 + 4 + 32);
  aad.set(AAD_LABEL);
  aad.set(groupIdToBytes(t.groupId), AAD_LABEL.length);
  new DataView(aad.buffer).setUint32(AAD_LABEL.length + 16, t.epoch);
  aad.set(hexToBytes(t.member, 32), AAD_LABEL.length + 20);
  return aad;
}

function boxKey(ephemeralPublic: Uint8Array, recipientPublic: Uint8Array, shared: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublic);
  salt.set(recipientPublic, 32);
  return hkdf(sha256, shared, salt, INFO, 32);
}

/** X25519 that refuses low-order keys (noble throws on an all-zero result) with a typed error. */
function sharedSecret(secret: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    return x25519.getSharedSecret(secret, publicKey);
  } catch {
    throw new WalletError('invalid_x25519_key', 'the X25519 key is not usable (low order or malformed)');
  }
}

/**
 * Seals `epochKey` to one member; returns the box as hex (80 bytes).
 * `ephemeralSecret` is for test vectors only: production draws a fresh one per box.
 * @throws WalletError `invalid_key`, `invalid_epoch`, `invalid_group_id`, `invalid_x25519_key`.
 */
export function sealEpochKey(epochKey: Uint8Array, to: SealTarget, ephemeralSecret?: Uint8Array): string {
  assertGroupKey(epochKey);
  const aad = aadOf(to);
  let recipient: Uint8Array;
  try {
    recipient = hexToBytes(to.x25519, 32);
  } catch {
    throw new WalletError('invalid_x25519_key', 'an X25519 key is 64 hex chars');
  }
  const secret = ephemeralSecret ?? randomBytes(32);
  const ephemeralPublic = x25519.getPublicKey(secret);
  const k = boxKey(ephemeralPublic, recipient, sharedSecret(secret, recipient));
  const box = new Uint8Array(SEALED_KEY_LENGTH);
  box.set(ephemeralPublic);
  box.set(xchacha20poly1305(k, ZERO_NONCE, aad).encrypt(epochKey), 32);
  k.fill(0);
  return bytesToHex(box);
}

/**
 * Opens a box sealed to `to` with the recipient's X25519 secret key; undefined when it does not
 * open (not for this key, another group/epoch/member, or altered). Never throws on bad input.
 */
export function openEpochKey(
  box: string,
  to: SealTarget,
  recipientSecret: Uint8Array,
): Uint8Array | undefined {
  try {
    const bytes = hexToBytes(box, SEALED_KEY_LENGTH);
    const ephemeralPublic = bytes.subarray(0, 32);
    const recipientPublic = x25519.getPublicKey(recipientSecret);
    const k = boxKey(
      ephemeralPublic,
      recipientPublic,
      x25519.getSharedSecret(recipientSecret, ephemeralPublic),
    );
    const key = xchacha20poly1305(k, ZERO_NONCE, aadOf(to)).decrypt(bytes.subarray(32));
    k.fill(0);
    return key;
  } catch {
    return undefined;
  }
}
