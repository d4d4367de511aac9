// Where libsodium's WebAssembly cannot load, a Node thread keeps OpenSSL's primitives.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSymmetricPrimitives, symmetricPrimitives } from '../shared/crypto/primitives';
import { installNodePrimitives, nodePrimitives } from './node-primitives';

vi.mock('../shared/crypto/sodium-open', () => ({
  withSodiumOpen: () => Promise.reject(new Error('no WebAssembly here')),
}));

afterEach(() => resetSymmetricPrimitives());

describe('node primitives without libsodium', () => {
  it('stay on OpenSSL when libsodium does not load', async () => {
    expect(await installNodePrimitives()).toBe(nodePrimitives);
    expect(symmetricPrimitives()).toBe(nodePrimitives);
    expect(symmetricPrimitives().openXChaCha20Poly1305).toBeUndefined();
  });
});
