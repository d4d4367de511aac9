/** SHA-256 and strict hex encoding: the ids and keys of the protocol travel as lower-case hex. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex as nobleBytesToHex, hexToBytes as nobleHexToBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function sha256Hex(data: Uint8Array): string {
  return nobleBytesToHex(nobleSha256(data));
}

/** Lower-case hex, two chars per byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return nobleBytesToHex(bytes);
}

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/**
 * Decodes lower-case hex. Upper case is refused too, so every byte string has exactly one
 * spelling and ids compare as plain strings.
 * @throws WalletError `invalid_hex` on odd length, a non-hex char, or a length other than `expectedBytes`.
 */
export function hexToBytes(hex: string, expectedBytes?: number): Uint8Array {
  if (typeof hex !== 'string' || !LOWER_HEX.test(hex)) {
    throw new WalletError('invalid_hex', 'expected an even number of lower-case hex characters');
  }
  if (expectedBytes !== undefined && hex.length !== expectedBytes * 2) {
    throw new WalletError('invalid_hex', `expected ${expectedBytes} bytes of hex, got ${hex.length / 2}`);
  }
  return nobleHexToBytes(hex);
}

/** Constant-length comparison of two byte strings (not secret-dependent timing-safe; ids are public). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
