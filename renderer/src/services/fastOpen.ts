/**
 * libsodium's XChaCha20-Poly1305 open (shared/crypto/sodium-open.ts) on top of the page's
 * primitives: a device receiving a group's history opens each body in ~3 µs instead of noble's
 * ~35 µs, on the thread that draws the UI. Loaded with the first connection (not before the
 * first screen: it is ~1 MB of script). Where WebAssembly is refused (an older CSP, a locked-down
 * browser) noble stays, with the same results.
 */
import { installSymmetricPrimitives, symmetricPrimitives } from '../../../shared/crypto/primitives';

/** Resolves true once libsodium's open is installed, false if it could not be (noble stays). */
export async function installFastOpen(
  load: () => Promise<typeof import('../../../shared/crypto/sodium-open')> = () =>
    import('../../../shared/crypto/sodium-open'),
): Promise<boolean> {
  try {
    // loadSodiumOpen compiles the module once; later calls get the same function.
    const open = await (await load()).loadSodiumOpen();
    const current = symmetricPrimitives();
    if (current.openXChaCha20Poly1305 !== open) {
      installSymmetricPrimitives({
        ...current,
        name: `${current.name}+libsodium`,
        openXChaCha20Poly1305: open,
      });
    }
    if (typeof document !== 'undefined') document.documentElement.dataset.bodyCipher = 'libsodium';
    return true;
  } catch {
    return false;
  }
}
