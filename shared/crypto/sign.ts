/**
 * Ed25519 signing and verification with two interchangeable backends: WebCrypto when the
 * platform has Ed25519 (native, several times faster) and @noble/curves otherwise.
 * Ed25519 is deterministic, so both produce the same bytes; both apply the acceptance rule
 * of `ed25519-policy.ts`, so they accept the same signatures.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { WalletError } from '../errors';
import { hasTorsionFreeR, isAcceptablePublicKey } from './ed25519-policy';
import { bytesToHex, equalBytes, hexToBytes } from './hash';

export const SIGNATURE_LENGTH = 64;

export interface SignatureBackend {
  readonly name: 'webcrypto' | 'noble';
  /** @throws WalletError `invalid_key` unless the secret key is a 32-byte seed. */
  sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** Never throws: malformed keys or signatures verify as false. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export interface VerifyItem {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

function assertSeed(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new WalletError('invalid_key', 'a secret key is a 32-byte seed');
  }
}

function wellFormed(publicKey: Uint8Array, signature: Uint8Array): boolean {
  return (
    publicKey instanceof Uint8Array &&
    signature instanceof Uint8Array &&
    signature.length === SIGNATURE_LENGTH &&
    isAcceptablePublicKey(publicKey)
  );
}

export const nobleBackend: SignatureBackend = {
  name: 'noble',
  async sign(secretKey, message) {
    assertSeed(secretKey);
    return ed25519.sign(message, secretKey);
  },
  async verify(publicKey, message, signature) {
    if (!wellFormed(publicKey, signature)) return false;
    try {
      // Strict RFC 8032 decoding; the torsion check on R runs only for otherwise valid signatures.
      return ed25519.verify(signature, message, publicKey, { zip215: false }) && hasTorsionFreeR(signature);
    } catch {
      return false;
    }
  },
};

// ------------------------------------------------------------------ WebCrypto

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = hexToBytes('302e020100300506032b657004220420');
const MAX_CACHED_PUBLIC_KEYS = 256;
const ED25519 = { name: 'Ed25519' } as const;

/** WebCrypto's typings want ArrayBuffer-backed views; copy the rare other kind. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new WalletError('crypto_unavailable', 'WebCrypto is not available on this platform');
  return s;
}

// importKey costs about as much as a verify, so keys are imported once. Secret keys are cached by
// object identity (no hex copy of the secret), public keys by hex in a small insertion-ordered LRU.
const secretKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

interface PublicKeySlot {
  readonly promise: Promise<CryptoKey>;
  /** Set once imported, so a verify can be handed to WebCrypto at once (its work then overlaps ours). */
  key?: CryptoKey;
}
const publicKeys = new Map<string, PublicKeySlot>();

function cryptoKeyForSeed(seed: Uint8Array): Promise<CryptoKey> {
  let key = secretKeys.get(seed);
  if (!key) {
    const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
    pkcs8.set(PKCS8_ED25519_PREFIX);
    pkcs8.set(seed, PKCS8_ED25519_PREFIX.length);
    // Wipe our copy of the seed once WebCrypto has taken its own.
    key = subtle()
      .importKey('pkcs8', pkcs8, ED25519, false, ['sign'])
      .finally(() => pkcs8.fill(0));
    secretKeys.set(seed, key);
    key.catch(() => secretKeys.delete(seed));
  }
  return key;
}

function publicKeySlot(publicKey: Uint8Array, hex: string): PublicKeySlot {
  let slot = publicKeys.get(hex);
  if (slot) {
    publicKeys.delete(hex); // re-insert: most recently used goes last
  } else {
    const promise = subtle().importKey('raw', bufferSource(publicKey), ED25519, false, ['verify']);
    const created: PublicKeySlot = { promise };
    slot = created;
    promise.then(
      (key) => {
        created.key = key;
      },
      () => publicKeys.delete(hex),
    );
    if (publicKeys.size >= MAX_CACHED_PUBLIC_KEYS) {
      const oldest = publicKeys.keys().next().value;
      if (oldest !== undefined) publicKeys.delete(oldest);
    }
  }
  publicKeys.set(hex, slot);
  return slot;
}

const FALSE = Promise.resolve(false);

/** Not async on purpose: with the key imported, the verify is dispatched before this returns. */
function webCryptoVerify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return FALSE;
    const hex = bytesToHex(publicKey);
    if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_LENGTH) return FALSE;
    if (!isAcceptablePublicKey(publicKey, hex)) return FALSE;
    const slot = publicKeySlot(publicKey, hex);
    const run = (key: CryptoKey) =>
      subtle().verify(ED25519, key, bufferSource(signature), bufferSource(message));
    return (slot.key ? run(slot.key) : slot.promise.then(run)).catch(() => false);
  } catch {
    return FALSE;
  }
}

export const webCryptoBackend: SignatureBackend = {
  name: 'webcrypto',
  async sign(secretKey, message) {
    assertSeed(secretKey);
    const key = await cryptoKeyForSeed(secretKey);
    return new Uint8Array(await subtle().sign(ED25519, key, bufferSource(message)));
  },
  verify: webCryptoVerify,
};

// ------------------------------------------------------------------ selection

/** RFC 8032 §7.1 test 1 (empty message). */
const RFC8032_SEED = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const RFC8032_PUBLIC = hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const RFC8032_SIGNATURE = hexToBytes(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);
/**
 * A signature whose R carries an order-8 component: valid under the cofactored equation only.
 * A platform that accepts it would disagree with the others, so WebCrypto is then not used.
 */
export const TORSION_PROBE = {
  publicKey: hexToBytes('ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c'),
  message: hexToBytes('74616c6c7920746f7273696f6e2070726f6265'),
  signature: hexToBytes(
    'd5ef64df63da3bb3d38a00537014257b40d069b39e6c71bf5a2a9d8efbdc22d957b07e398cc84fd553860bbb089c78af4563d3e3ea062a7f66bd544d9e7a9609',
  ),
} as const;

/** True when this platform's WebCrypto signs Ed25519 like RFC 8032 and verifies by our rule. */
export async function webCryptoEd25519Works(): Promise<boolean> {
  if (!globalThis.crypto?.subtle) return false;
  try {
    const empty = new Uint8Array(0);
    const signature = await webCryptoBackend.sign(RFC8032_SEED, empty);
    if (!equalBytes(signature, RFC8032_SIGNATURE)) return false;
    if (!(await webCryptoBackend.verify(RFC8032_PUBLIC, empty, signature))) return false;
    const p = TORSION_PROBE;
    return !(await webCryptoBackend.verify(p.publicKey, p.message, p.signature));
  } catch {
    return false;
  }
}

let selected: Promise<SignatureBackend> | undefined;
/** The same backend once chosen, so batches can start verifying without waiting a turn. */
let chosen: SignatureBackend | undefined;

/** The backend in use, chosen once per process by feature detection. */
export function signatureBackend(): Promise<SignatureBackend> {
  selected ??= webCryptoEd25519Works().then((works) => {
    chosen = works ? webCryptoBackend : nobleBackend;
    return chosen;
  });
  return selected;
}

// ------------------------------------------------------------------ a host's own signer

/**
 * A synchronous Ed25519 signer a host may install (Node: node:crypto, sync-server/node-sign.ts).
 * Signing is the floor of a long local write such as an import (each entry's prev is the id of
 * the one before, so signatures are made one after another): a WebCrypto sign is a round trip to
 * another thread, a native synchronous one is not. Verification keeps the selected backend.
 */
export type HostSigner = (seed: Uint8Array, message: Uint8Array) => Uint8Array;

let hostSigner: HostSigner | undefined;

/** RFC 8032 §7.1 test 2 (one-byte message), checked besides test 1. */
const RFC8032_2 = {
  seed: hexToBytes('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'),
  message: hexToBytes('72'),
  signature: hexToBytes(
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ),
};

/** True when `signer` gives RFC 8032's signatures and noble's on a longer message. */
export function checkSigner(signer: HostSigner): boolean {
  try {
    if (!equalBytes(signer(RFC8032_SEED, new Uint8Array(0)), RFC8032_SIGNATURE)) return false;
    if (!equalBytes(signer(RFC8032_2.seed, RFC8032_2.message), RFC8032_2.signature)) return false;
    const long = new Uint8Array(1000).map((_, i) => (i * 7) & 0xff);
    return equalBytes(signer(RFC8032_2.seed, long), ed25519.sign(long, RFC8032_2.seed));
  } catch {
    return false;
  }
}

/**
 * Signs with `signer` from now on, once `checkSigner` passes.
 * @throws WalletError `crypto_backend_invalid` when it does not; signing stays as it was.
 */
export function installSigner(signer: HostSigner): void {
  if (!checkSigner(signer)) {
    throw new WalletError('crypto_backend_invalid', 'the host signer fails the RFC 8032 known-answer tests');
  }
  hostSigner = signer;
}

/** Back to the selected backend's signing (tests). */
export function resetSigner(): void {
  hostSigner = undefined;
}

export async function sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  if (hostSigner) {
    assertSeed(secretKey);
    return hostSigner(secretKey, message);
  }
  return (await signatureBackend()).sign(secretKey, message);
}

export async function verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return (await signatureBackend()).verify(publicKey, message, signature);
}

/** Verifies many signatures at once; WebCrypto runs them concurrently on its worker threads. */
export async function verifyBatch(items: readonly VerifyItem[]): Promise<boolean[]> {
  // Once the backend is known, every verify is handed over before the first await, so the
  // caller's own work overlaps them.
  const backend = chosen ?? (await signatureBackend());
  return Promise.all(items.map((i) => backend.verify(i.publicKey, i.message, i.signature)));
}
