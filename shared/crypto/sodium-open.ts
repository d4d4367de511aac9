/**
 * XChaCha20-Poly1305 opening through libsodium compiled to WebAssembly, for the primitives seam
 * (primitives.ts). Opening a body is most of what checking an entry costs, and per call Node's
 * OpenSSL cipher spends more on setting itself up than on 400 bytes of ChaCha: measured here,
 * ~3 µs per body through this module, ~10 µs through Node's createDecipheriv, ~35 µs in noble.
 *
 * It calls libsodium's C function directly on one scratch region of the WebAssembly heap,
 * allocated once, because the wrapper library allocates, copies and frees every argument on
 * every call (~5 µs). WebAssembly runs in Node and browsers alike, so this stays platform-free;
 * loading is asynchronous (the module compiles first).
 */
import createLibsodium from 'libsodium';
import type { OpenXChaCha, SymmetricPrimitives } from './primitives';

/** The part of libsodium's Emscripten module used here. */
interface LibsodiumModule {
  readonly HEAPU8: Uint8Array;
  _sodium_init(): number;
  _malloc(size: number): number;
  _free(pointer: number): void;
  /** int crypto_aead_xchacha20poly1305_ietf_decrypt_detached(m, nsec, c, clen, mac, ad, adlen, npub, k); 64-bit lengths pass as (low, high). */
  _crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
    m: number,
    nsec: number,
    c: number,
    clenLow: number,
    clenHigh: number,
    mac: number,
    ad: number,
    adlenLow: number,
    adlenHigh: number,
    npub: number,
    k: number,
  ): number;
}

const KEY = 32;
const NONCE = 24;
const TAG = 16;
/** Bodies up to this size (an entry's limit, 64 KiB) open in the standing scratch region. */
const SCRATCH_BODY = 64 * 1024;
const SCRATCH_AAD = 256;

let loading: Promise<OpenXChaCha> | undefined;

/** libsodium's XChaCha20-Poly1305 open, loaded once per thread. Rejects where WebAssembly is unavailable. */
export function loadSodiumOpen(): Promise<OpenXChaCha> {
  loading ??= instantiate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** `base` with libsodium's open added (named `<base>+libsodium`), for installSymmetricPrimitives. */
export async function withSodiumOpen(base: SymmetricPrimitives): Promise<SymmetricPrimitives> {
  return { ...base, name: `${base.name}+libsodium`, openXChaCha20Poly1305: await loadSodiumOpen() };
}

async function instantiate(): Promise<OpenXChaCha> {
  // libsodium seeds its own generator at init even though opening never draws from it.
  const sodium = (await createLibsodium({
    getRandomValue: () => crypto.getRandomValues(new Uint32Array(1))[0]!,
  })) as LibsodiumModule;
  if (sodium._sodium_init() < 0) throw new Error('libsodium did not initialise');
  const standing = region(sodium, SCRATCH_BODY, SCRATCH_AAD);

  return (key, nonce, sealed, aad, output) => {
    const length = sealed.length - TAG;
    if (length < 0) throw new Error('sealed box shorter than its tag');
    const fits = length <= SCRATCH_BODY && aad.length <= SCRATCH_AAD;
    const at = fits ? standing : region(sodium, length, aad.length);
    try {
      // HEAPU8 is read on every call: the heap's buffer is replaced whenever it grows.
      const heap = sodium.HEAPU8;
      heap.set(key, at.key);
      heap.set(nonce, at.nonce);
      heap.set(aad, at.aad);
      heap.set(sealed.subarray(0, length), at.body);
      heap.set(sealed.subarray(length), at.tag);
      const status = sodium._crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
        at.plain,
        0,
        at.body,
        length,
        0,
        at.tag,
        at.aad,
        aad.length,
        0,
        at.nonce,
        at.key,
      );
      if (status !== 0) throw new Error('tag mismatch');
      const plain = heap.subarray(at.plain, at.plain + length);
      if (output === undefined) return plain.slice();
      if (output.length !== length) throw new Error('output is not the plaintext length');
      output.set(plain);
      return output;
    } finally {
      // Neither the key nor a plaintext stays behind in the heap.
      sodium.HEAPU8.fill(0, at.key, at.key + KEY);
      sodium.HEAPU8.fill(0, at.plain, at.plain + length);
      if (!fits) sodium._free(at.key);
    }
  };
}

interface Region {
  readonly key: number;
  readonly nonce: number;
  readonly tag: number;
  readonly aad: number;
  readonly body: number;
  readonly plain: number;
}

/** One allocation holding every argument of a call: key, nonce, tag, aad, ciphertext, plaintext. */
function region(sodium: LibsodiumModule, body: number, aad: number): Region {
  const key = sodium._malloc(KEY + NONCE + TAG + aad + 2 * body);
  if (key === 0) throw new Error('libsodium could not allocate memory');
  const nonce = key + KEY;
  const tag = nonce + NONCE;
  const aadAt = tag + TAG;
  const bodyAt = aadAt + aad;
  return { key, nonce, tag, aad: aadAt, body: bodyAt, plain: bodyAt + body };
}
