/**
 * One acceptance rule for Ed25519 signatures, whatever library checks them.
 *
 * Implementations disagree on edge cases (Chou, "Taming the many EdDSAs", 2020): OpenSSL and
 * BoringSSL (Node, Chromium WebCrypto) use the cofactorless equation, @noble/curves the
 * cofactored one, so a crafted signature can be valid on one device and invalid on another —
 * fatal for a log that every device must fold to the same state. We close the gap by
 * accepting only what both agree on:
 *   - the public key is a canonical encoding of a point of prime order (not small-order,
 *     no torsion component), checked once per key and cached;
 *   - R has no torsion component (checked by the noble backend; a cofactorless platform
 *     rejects such R by itself, and WebCrypto is only used after a probe proves that).
 * With A and R torsion-free, the two equations accept exactly the same signatures.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex } from './hash';

const Point = ed25519.Point;
const MAX_CACHED_KEYS = 1024;
const keyVerdicts = new Map<string, boolean>();

/**
 * True when `publicKey` is 32 bytes encoding (canonically) a point of the prime-order subgroup
 * other than the identity. `knownHex`: its hex, when the caller already has it.
 */
export function isAcceptablePublicKey(publicKey: Uint8Array, knownHex?: string): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  const hex = knownHex ?? bytesToHex(publicKey);
  const cached = keyVerdicts.get(hex);
  if (cached !== undefined) return cached;
  let verdict: boolean;
  try {
    const point = Point.fromBytes(publicKey, false);
    verdict = !point.isSmallOrder() && point.isTorsionFree();
  } catch {
    verdict = false;
  }
  // Insertion-ordered Map as a cheap bounded cache: drop the oldest verdict when full.
  if (keyVerdicts.size >= MAX_CACHED_KEYS) {
    const oldest = keyVerdicts.keys().next().value;
    if (oldest !== undefined) keyVerdicts.delete(oldest);
  }
  keyVerdicts.set(hex, verdict);
  return verdict;
}

/** True when the signature's R half is a canonical point with no torsion component. */
export function hasTorsionFreeR(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return Point.fromBytes(signature.subarray(0, 32), false).isTorsionFree();
  } catch {
    return false;
  }
}
