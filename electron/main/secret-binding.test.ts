import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSecretBinding, type Keychain, secretBindingPath } from './secret-binding';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function userData(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-secret-binding-'));
  dirs.push(dir);
  return dir;
}

/** A reversible stand-in for safeStorage: XOR with a per-"OS account" byte, plus a marker. */
function fakeKeychain(account = 0x5a) {
  const keychain = {
    isEncryptionAvailable: vi.fn(() => true),
    encryptString: vi.fn((text: string) =>
      Buffer.concat([Buffer.from('v10'), Buffer.from(text, 'utf8').map((b) => b ^ account)]),
    ),
    decryptString: vi.fn((blob: Buffer) => {
      if (!blob.subarray(0, 3).equals(Buffer.from('v10'))) throw new Error('Error while decrypting');
      return Buffer.from(blob.subarray(3).map((b) => b ^ account)).toString('utf8');
    }),
  } satisfies Keychain;
  return keychain;
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );

describe('installation-bound keychain blobs', () => {
  it('round-trips a secret, across restarts of the same installation', async () => {
    const dir = await userData();
    const keychain = fakeKeychain();
    const blob = await createSecretBinding(secretBindingPath(dir), keychain).protect('ed25519-secret');
    // A fresh instance (the app restarted) reads the same binding from disk.
    expect(await createSecretBinding(secretBindingPath(dir), keychain).unprotect(blob)).toBe(
      'ed25519-secret',
    );
  });

  it('keeps the binding key wrapped by the keychain, never in the clear', async () => {
    const dir = await userData();
    const keychain = fakeKeychain();
    await createSecretBinding(secretBindingPath(dir), keychain).protect('x');
    const file = JSON.parse(await readFile(secretBindingPath(dir), 'utf8')) as {
      v: number;
      id: string;
      key: string;
    };
    expect(file.v).toBe(1);
    expect(file.id).toMatch(/^[0-9a-f]{32}$/);
    const key = keychain.decryptString(Buffer.from(file.key, 'base64'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(secretBindingPath(dir), 'utf8')).not.toContain(key);
  });

  it('refuses a raw keychain blob (any safeStorage ciphertext) without decrypting it', async () => {
    const dir = await userData();
    const keychain = fakeKeychain();
    const binding = createSecretBinding(secretBindingPath(dir), keychain);
    await binding.protect('ours');
    const raw = keychain.encryptString('someone else’s cookie key').toString('base64');
    keychain.decryptString.mockClear();
    expect(await codeOf(binding.unprotect(raw))).toBe('SECRET_FOREIGN');
    expect(keychain.decryptString).not.toHaveBeenCalled();
  });

  it('refuses a blob of another installation sharing the same keychain', async () => {
    const keychain = fakeKeychain();
    const other = await createSecretBinding(secretBindingPath(await userData()), keychain).protect('theirs');
    const mine = createSecretBinding(secretBindingPath(await userData()), keychain);
    expect(await codeOf(mine.unprotect(other))).toBe('SECRET_FOREIGN'); // before it ever protected anything
    await mine.protect('mine');
    expect(await codeOf(mine.unprotect(other))).toBe('SECRET_FOREIGN');
  });

  it('refuses a blob whose ciphertext or header was altered', async () => {
    const dir = await userData();
    const keychain = fakeKeychain();
    const binding = createSecretBinding(secretBindingPath(dir), keychain);
    const blob = Buffer.from(await binding.protect('secret'), 'base64');
    for (const at of [0, 5, 25, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 1;
      expect(await codeOf(binding.unprotect(bad.toString('base64')))).toBe('SECRET_FOREIGN');
    }
    // Another installation's ciphertext spliced under our header: the seal covers it.
    const theirs = Buffer.from(
      await createSecretBinding(secretBindingPath(await userData()), keychain).protect('theirs'),
      'base64',
    );
    const spliced = Buffer.concat([blob.subarray(0, 52), theirs.subarray(52)]);
    expect(await codeOf(binding.unprotect(spliced.toString('base64')))).toBe('SECRET_FOREIGN');
  });

  it('says SECRET_DECRYPT_FAILED when the keychain itself changed, SECRET_UNAVAILABLE without one', async () => {
    const dir = await userData();
    const blob = await createSecretBinding(secretBindingPath(dir), fakeKeychain(0x11)).protect('s');
    const otherAccount = fakeKeychain(0x22);
    otherAccount.decryptString.mockImplementation(() => {
      throw new Error('Error while decrypting');
    });
    expect(await codeOf(createSecretBinding(secretBindingPath(dir), otherAccount).unprotect(blob))).toBe(
      'SECRET_DECRYPT_FAILED',
    );
    const none = fakeKeychain();
    none.isEncryptionAvailable.mockReturnValue(false);
    const binding = createSecretBinding(secretBindingPath(await userData()), none);
    expect(await codeOf(binding.protect('s'))).toBe('SECRET_UNAVAILABLE');
    expect(await codeOf(binding.unprotect(blob))).toBe('SECRET_UNAVAILABLE');
  });

  it('treats a damaged binding file as no binding: old blobs are foreign, new ones work', async () => {
    const dir = await userData();
    const keychain = fakeKeychain();
    const old = await createSecretBinding(secretBindingPath(dir), keychain).protect('old');
    await writeFile(secretBindingPath(dir), '{"v":1,"id":"zz"');
    const binding = createSecretBinding(secretBindingPath(dir), keychain);
    expect(await codeOf(binding.unprotect(old))).toBe('SECRET_FOREIGN');
    const fresh = await binding.protect('new');
    expect(await binding.unprotect(fresh)).toBe('new');
  });

  it('creates one binding when several secrets are protected at once', async () => {
    const dir = await userData();
    const binding = createSecretBinding(secretBindingPath(dir), fakeKeychain());
    const blobs = await Promise.all(['a', 'b', 'c'].map((s) => binding.protect(s)));
    const again = createSecretBinding(secretBindingPath(dir), fakeKeychain());
    expect(await Promise.all(blobs.map((b) => again.unprotect(b)))).toEqual(['a', 'b', 'c']);
  });
});
