/** SHA-256 and strict hex encoding: the ids and keys of the protocol travel as lower-case hex. */
import { bytesToHex as nobleBytesToHex, hexToBytes as nobleHexToBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import { symmetricPrimitives } from './primitives';

/** SHA-256 with the installed primitives (primitives.ts: noble, or the host's native one). */
export function sha256(data: Uint8Array): Uint8Array {
  return symmetricPrimitives().sha256(data);
}

export function sha256Hex(data: Uint8Array): string {
  return bytesToHex(symmetricPrimitives().sha256(data));
}

// Hex is on every hot path (ids, authors, prev links). Where the platform has no native
// Uint8Array#toHex, the chars are written into a byte buffer and decoded in one call, which
// yields one flat string instead of a rope of 2-char pieces (about twice as fast, less garbage).
const HEX_CHARS = new TextEncoder().encode('0123456789abcdef');
const HEX_SCRATCH = new Uint8Array(128);
// Only ASCII is written, which every single-byte decoder maps to itself.
const ascii = new TextDecoder('latin1');
const nativeToHex = typeof (Uint8Array.prototype as { toHex?: unknown }).toHex === 'function';

/** Views of the scratch buffer for the field sizes of the protocol, made once (a view per call was garbage on every header). */
const HEX_VIEWS = new Map([16, 32].map((n) => [n, HEX_SCRATCH.subarray(0, n * 2)]));

/** Lower-case hex, two chars per byte. */
export function bytesToHex(bytes: Uint8Array): string {
  if (nativeToHex || !(bytes instanceof Uint8Array)) return nobleBytesToHex(bytes);
  return hexOfRange(bytes, 0, bytes.length);
}

/** bytesToHex(bytes.subarray(from, from + length)) without making the subarray. */
export function hexOfRange(bytes: Uint8Array, from: number, length: number): string {
  if (nativeToHex) return nobleBytesToHex(bytes.subarray(from, from + length));
  const out = length * 2 <= HEX_SCRATCH.length ? HEX_SCRATCH : new Uint8Array(length * 2);
  for (let i = from, j = 0; i < from + length; i++, j += 2) {
    const b = bytes[i]!;
    out[j] = HEX_CHARS[b >>> 4]!;
    out[j + 1] = HEX_CHARS[b & 15]!;
  }
  return ascii.decode((out === HEX_SCRATCH && HEX_VIEWS.get(length)) || out.subarray(0, length * 2));
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

/**
 * Copies of `arrays` end to end in one new buffer, and each copy as a view into it: one
 * allocation for thousands of small arrays, and one buffer to hand to another thread.
 */
export function copyTogether(arrays: readonly Uint8Array[]): { buffer: Uint8Array; views: Uint8Array[] } {
  let total = 0;
  for (const a of arrays) total += a.length;
  const buffer = new Uint8Array(total);
  let at = 0;
  const views = arrays.map((a) => {
    buffer.set(a, at);
    at += a.length;
    return buffer.subarray(at - a.length, at);
  });
  return { buffer, views };
}

// ------------------------------------------------------------------ many digests at once

/**
 * Where SHA-256 of many entries is computed. Measured on 400–700-byte inputs, 10k at a time:
 * in Chromium, WebCrypto digests (native, off the main thread) take about half the time of
 * the JS one; in Node the per-call overhead of its WebCrypto makes it slower than hashing
 * inline (`sha256`, i.e. the installed primitives). Both give the same bytes (tested).
 */
export type DigestBackend = 'webcrypto' | 'inline';

const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
let selectedDigest: Promise<DigestBackend> | undefined;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The backend `sha256Many` uses, chosen once: WebCrypto in browsers if it hashes a known vector right. */
export function digestBackend(): Promise<DigestBackend> {
  selectedDigest ??= (async (): Promise<DigestBackend> => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle || isNode()) return 'inline';
    try {
      const got = await subtle.digest('SHA-256', new TextEncoder().encode('abc'));
      return bytesToHex(new Uint8Array(got)) === ABC_SHA256 ? 'webcrypto' : 'inline';
    } catch {
      return 'inline';
    }
  })();
  return selectedDigest;
}

/** WebCrypto takes only ArrayBuffer-backed views; copy the rare other kind. */
function arrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** SHA-256 of each input (same result as `sha256`), with the platform's fastest backend unless one is given. */
export async function sha256Many(
  items: readonly Uint8Array[],
  backend?: DigestBackend,
): Promise<Uint8Array[]> {
  const use = backend ?? (items.length === 0 ? 'inline' : await digestBackend());
  if (use === 'inline') return items.map(sha256);
  const subtle = globalThis.crypto.subtle;
  const digests = await Promise.all(items.map((b) => subtle.digest('SHA-256', arrayBufferView(b))));
  return digests.map((d) => new Uint8Array(d));
}
