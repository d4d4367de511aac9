/**
 * libsodium's XChaCha20-Poly1305 open (shared/crypto/sodium-open.ts) on top of the page's
 * primitives: a device receiving a group's history opens each body in ~3 µs instead of noble's
 * ~35 µs, on the thread that draws the UI. Loaded with the first connection or backup restore,
 * not before the first screen (it is 137 kB of gzipped script). Where WebAssembly is refused (an older CSP, a locked-down
 * browser) noble stays, with the same results.
 */
import { installSymmetricPrimitives, symmetricPrimitives } from '../../../shared/crypto/primitives';

/** Resolves true once libsodium's open is installed, false if it could not be (noble stays). */
export async function installFastOpen(
  load: () => Promise<typeof import('../../../shared/crypto/sodium-open')> = () =>
    import('../../../shared/crypto/sodium-open'),
): Promise<boolean> {
  try {
    // The module compiles once (loadSodiumOpen); installing again is only needed after a reset.
    if (symmetricPrimitives().openXChaCha20Poly1305 === undefined) {
      installSymmetricPrimitives(await (await load()).withSodiumOpen(symmetricPrimitives()));
    }
    if (typeof document !== 'undefined') document.documentElement.dataset.bodyCipher = 'libsodium';
    return true;
  } catch {
    return false;
  }
}
