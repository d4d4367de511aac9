/**
 * A member's X25519 key pair, derived from their Ed25519 identity seed (the birational map of
 * RFC 7748 §4.1, as libsodium's crypto_sign_ed25519_sk_to_curve25519): nothing new to store or
 * back up, and restoring the identity restores it. Published in the member's join (`x25519` of
 * group.created / member.joined) so that a later group key can be sealed to each member.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import type { Identity } from './identity';
import { bytesToHex } from './hash';

export interface X25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export function x25519KeyPairOf(identity: Identity): X25519KeyPair {
  const secretKey = ed25519.utils.toMontgomerySecret(identity.secretKey);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** The hex public key a join carries. */
export function x25519PublicHex(identity: Identity): string {
  return bytesToHex(x25519KeyPairOf(identity).publicKey);
}
