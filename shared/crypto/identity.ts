/**
 * An installation's Ed25519 identity. The secret key is the 32-byte RFC 8032 seed;
 * the member id seen by everyone else is the hex public key.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { WalletError } from '../errors';
import type { MemberId } from '../money/types';
import { bytesToHex } from './hash';

export interface Identity {
  readonly publicKey: Uint8Array;
  /** 32-byte seed. Never leaves the device except wrapped by the OS keychain. */
  readonly secretKey: Uint8Array;
}

export const SECRET_KEY_LENGTH = 32;
export const PUBLIC_KEY_LENGTH = 32;

export function generateIdentity(): Identity {
  const { secretKey, publicKey } = ed25519.keygen();
  return { secretKey, publicKey };
}

/** A copy of the seed, so the caller can wipe or store it without aliasing the identity. */
export function exportSecretKey(identity: Identity): Uint8Array {
  return identity.secretKey.slice();
}

/** @throws WalletError `invalid_key` unless given exactly 32 bytes. */
export function importSecretKey(bytes: Uint8Array): Identity {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SECRET_KEY_LENGTH) {
    throw new WalletError('invalid_key', `a secret key is ${SECRET_KEY_LENGTH} bytes`);
  }
  const secretKey = bytes.slice();
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function memberIdOf(publicKey: Uint8Array): MemberId {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new WalletError('invalid_key', `a public key is ${PUBLIC_KEY_LENGTH} bytes`);
  }
  return bytesToHex(publicKey);
}
