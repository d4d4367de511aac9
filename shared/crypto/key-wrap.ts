/**
 * Wrapping the device key (device-key.ts) for storage: under a key derived from the user's
 * passcode (scrypt, memory-hard, so a copied disk cannot be brute-forced cheaply), or under a
 * key derived from the recovery key (HKDF: the recovery key is already 128 random bits).
 *
 * A wrapped key is one self-describing blob, its parameters versioned inside it:
 *
 *   0       format (1)
 *   1       kind (1 passcode/scrypt, 2 recovery/HKDF-SHA256)
 *   2..4    scrypt log2 N, r, p (0 0 0 for the recovery kind)
 *   5..20   salt (16 random bytes)
 *   21..44  XChaCha20-Poly1305 nonce (24 random bytes)
 *   45..92  the sealed 32-byte device key (+16-byte tag); associated data = bytes 0..20
 *   93..108 SHA-256(bytes 0..92), first 16 bytes
 *
 * The associated data binds the parameters: a blob edited to cheaper parameters no longer
 * opens. The trailing checksum is not a security boundary (anyone can recompute it); it tells a
 * damaged or edited blob (`wrapped_key_tampered`) apart from a wrong passcode, which otherwise
 * look the same to the AEAD.
 *
 * Passcode parameters: scrypt N = 2^15, r = 8, p = 1 (32 MiB). Measured here (@noble/hashes 2.x,
 * Node 20, a shared 2-core machine): 200-310 ms; the target is ~250 ms (docs/threat-model.md).
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import { NONCE_LENGTH } from './aead';
import { assertDeviceKey, DEVICE_KEY_LENGTH } from './device-key';
import { RECOVERY_SECRET_LENGTH } from './recovery-key';

export const WRAP_FORMAT = 1;
export type WrapKind = 'passcode' | 'recovery';
const KIND_CODE: Record<WrapKind, number> = { passcode: 1, recovery: 2 };

export interface ScryptParams {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** ~250 ms here; see the module comment and docs/threat-model.md. */
export const PASSCODE_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 };
/** Bounds a blob's parameters may take: a tampered blob cannot ask for gigabytes. */
const LIMITS = { logN: [10, 17], r: [1, 16], p: [1, 4] } as const;
export const MIN_PASSCODE_LENGTH = 6;

const SALT_LENGTH = 16;
const HEADER_LENGTH = 5 + SALT_LENGTH;
const SEALED_LENGTH = DEVICE_KEY_LENGTH + 16;
const CHECK_LENGTH = 16;
const BODY_LENGTH = HEADER_LENGTH + NONCE_LENGTH + SEALED_LENGTH;
export const WRAPPED_KEY_LENGTH = BODY_LENGTH + CHECK_LENGTH;
const RECOVERY_INFO = new TextEncoder().encode('tally device-key recovery v1');

function withinLimits(params: ScryptParams): boolean {
  const ok = (v: number, [lo, hi]: readonly [number, number]) => Number.isInteger(v) && v >= lo && v <= hi;
  return ok(params.logN, LIMITS.logN) && ok(params.r, LIMITS.r) && ok(params.p, LIMITS.p);
}

/** The passcode as bytes: NFKC first, so the same passcode typed on another keyboard still opens. */
function passcodeBytes(passcode: string): Uint8Array {
  if (typeof passcode !== 'string' || [...passcode.normalize('NFKC')].length < MIN_PASSCODE_LENGTH) {
    throw new WalletError('passcode_too_short', `a passcode has at least ${MIN_PASSCODE_LENGTH} characters`);
  }
  return new TextEncoder().encode(passcode.normalize('NFKC'));
}

async function passcodeKey(passcode: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return scryptAsync(passcodeBytes(passcode), salt, {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    dkLen: 32,
    // Hands the event loop back every 10 ms so a renderer stays responsive while it derives.
    asyncTick: 10,
  });
}

function recoveryKey(secret: Uint8Array, salt: Uint8Array): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length !== RECOVERY_SECRET_LENGTH) {
    throw new WalletError('recovery_key_invalid', `a recovery secret is ${RECOVERY_SECRET_LENGTH} bytes`);
  }
  return hkdf(sha256, secret, salt, RECOVERY_INFO, 32);
}

function seal(kind: WrapKind, params: ScryptParams, salt: Uint8Array, kek: Uint8Array, key: Uint8Array) {
  const blob = new Uint8Array(WRAPPED_KEY_LENGTH);
  blob.set([WRAP_FORMAT, KIND_CODE[kind], params.logN, params.r, params.p]);
  blob.set(salt, 5);
  const nonce = randomBytes(NONCE_LENGTH);
  blob.set(nonce, HEADER_LENGTH);
  const aad = blob.subarray(0, HEADER_LENGTH);
  blob.set(xchacha20poly1305(kek, nonce, aad).encrypt(key), HEADER_LENGTH + NONCE_LENGTH);
  blob.set(sha256(blob.subarray(0, BODY_LENGTH)).subarray(0, CHECK_LENGTH), BODY_LENGTH);
  kek.fill(0);
  return blob;
}

interface ParsedWrap {
  readonly params: ScryptParams;
  readonly salt: Uint8Array;
  readonly nonce: Uint8Array;
  readonly aad: Uint8Array;
  readonly sealed: Uint8Array;
}

/**
 * @throws WalletError `wrapped_key_tampered` (wrong length or checksum), `wrapped_key_unsupported`
 * (a format from a newer version), `wrapped_key_invalid` (another kind, parameters out of bounds).
 */
function parse(blob: Uint8Array, kind: WrapKind): ParsedWrap {
  if (!(blob instanceof Uint8Array) || blob.length !== WRAPPED_KEY_LENGTH) {
    throw new WalletError('wrapped_key_tampered', `a wrapped key is ${WRAPPED_KEY_LENGTH} bytes`);
  }
  const check = sha256(blob.subarray(0, BODY_LENGTH));
  for (let i = 0; i < CHECK_LENGTH; i++) {
    if (check[i] !== blob[BODY_LENGTH + i]) {
      throw new WalletError('wrapped_key_tampered', 'the wrapped key was damaged or edited');
    }
  }
  if (blob[0] !== WRAP_FORMAT) {
    throw new WalletError(
      'wrapped_key_unsupported',
      `wrapped key format ${blob[0]} is not known to this version`,
    );
  }
  if (blob[1] !== KIND_CODE[kind]) throw new WalletError('wrapped_key_invalid', `this is not a ${kind} wrap`);
  const params = { logN: blob[2]!, r: blob[3]!, p: blob[4]! };
  if (kind === 'passcode' && !withinLimits(params)) {
    throw new WalletError('wrapped_key_invalid', 'the wrapped key asks for scrypt parameters out of bounds');
  }
  return {
    params,
    salt: blob.subarray(5, HEADER_LENGTH),
    nonce: blob.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH),
    aad: blob.subarray(0, HEADER_LENGTH),
    sealed: blob.subarray(HEADER_LENGTH + NONCE_LENGTH, BODY_LENGTH),
  };
}

function open(parsed: ParsedWrap, kek: Uint8Array, wrong: WalletError): Uint8Array {
  try {
    return xchacha20poly1305(kek, parsed.nonce, parsed.aad).decrypt(parsed.sealed);
  } catch {
    throw wrong;
  } finally {
    kek.fill(0);
  }
}

/** Wraps the device key under the passcode. @throws WalletError `passcode_too_short`. */
export async function wrapWithPasscode(
  deviceKey: Uint8Array,
  passcode: string,
  params: ScryptParams = PASSCODE_SCRYPT,
): Promise<Uint8Array> {
  assertDeviceKey(deviceKey);
  if (!withinLimits(params)) throw new WalletError('wrapped_key_invalid', 'scrypt parameters out of bounds');
  const salt = randomBytes(SALT_LENGTH);
  return seal('passcode', params, salt, await passcodeKey(passcode, salt, params), deviceKey);
}

/**
 * The device key inside a passcode wrap.
 * @throws WalletError `wrong_passcode`, or the blob errors of `parse`.
 */
export async function unwrapWithPasscode(blob: Uint8Array, passcode: string): Promise<Uint8Array> {
  const parsed = parse(blob, 'passcode');
  const kek = await passcodeKey(passcode, parsed.salt, parsed.params);
  return open(parsed, kek, new WalletError('wrong_passcode', 'Wrong passcode.'));
}

/** Wraps the device key under a recovery secret (recovery-key.ts). */
export function wrapWithRecoveryKey(deviceKey: Uint8Array, recoverySecret: Uint8Array): Uint8Array {
  assertDeviceKey(deviceKey);
  const salt = randomBytes(SALT_LENGTH);
  return seal('recovery', { logN: 0, r: 0, p: 0 }, salt, recoveryKey(recoverySecret, salt), deviceKey);
}

/**
 * The device key inside a recovery wrap.
 * @throws WalletError `wrong_recovery_key`, or the blob errors of `parse`.
 */
export function unwrapWithRecoveryKey(blob: Uint8Array, recoverySecret: Uint8Array): Uint8Array {
  const parsed = parse(blob, 'recovery');
  return open(
    parsed,
    recoveryKey(recoverySecret, parsed.salt),
    new WalletError('wrong_recovery_key', 'This recovery key does not open this device’s data.'),
  );
}
