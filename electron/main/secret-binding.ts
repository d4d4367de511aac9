/**
 * Keychain blobs bound to this installation. `secret:unprotect` must not be a general decryption
 * oracle for whatever the OS keychain can open (a blob of another Tally profile on the same
 * account, anything else encrypted with the same safeStorage key): a page that got compromised
 * could otherwise feed it foreign ciphertext. So every blob carries this installation's id and an
 * HMAC-SHA256 under a per-installation random key; the key itself is stored wrapped by the
 * keychain in `<userData>/secret-binding.json` and never leaves the main process.
 *
 * Blob layout (then base64 on the wire):
 *   "TSB1" (4) | installation id (16) | HMAC(key, "TSB1" | id | ciphertext) (32) | safeStorage ciphertext
 *
 * Kept free of the `electron` module: the keychain is injected (safeStorage in the app).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WalletError } from '../../shared/errors';
import type { DesktopErrorCode } from '../preload/api';

export interface Keychain {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const MAGIC = Buffer.from('TSB1', 'ascii');
const ID_BYTES = 16;
const KEY_BYTES = 32;
const MAC_BYTES = 32;
const HEADER_BYTES = MAGIC.length + ID_BYTES + MAC_BYTES;

export const secretBindingPath = (userDataDir: string): string => join(userDataDir, 'secret-binding.json');

interface Binding {
  readonly id: Buffer;
  readonly key: Buffer;
}

type Code = DesktopErrorCode;
const foreign = (why: string) =>
  new WalletError<Code>(
    'SECRET_FOREIGN',
    `This protected secret was not made by this installation (${why}).`,
  );
const unavailable = () =>
  new WalletError<Code>('SECRET_UNAVAILABLE', 'No OS keychain is available to protect secrets.');
const decryptFailed = () =>
  new WalletError<Code>(
    'SECRET_DECRYPT_FAILED',
    'The protected secret could not be decrypted on this device.',
  );

const macOf = (key: Buffer, id: Buffer, ciphertext: Buffer): Buffer =>
  createHmac('sha256', key).update(MAGIC).update(id).update(ciphertext).digest();

/** Parses the binding file; null when missing or not what we wrote. */
async function readBinding(path: string, keychain: Keychain): Promise<Binding | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
  const r = raw as { v?: unknown; id?: unknown; key?: unknown };
  if (r?.v !== 1 || typeof r.id !== 'string' || typeof r.key !== 'string') return null;
  if (!/^[0-9a-f]{32}$/.test(r.id)) return null;
  let keyHex: string;
  try {
    keyHex = keychain.decryptString(Buffer.from(r.key, 'base64'));
  } catch {
    // The keychain entry changed (new OS account, reset keychain): every old blob is lost anyway.
    throw decryptFailed();
  }
  if (!/^[0-9a-f]{64}$/.test(keyHex)) return null;
  return { id: Buffer.from(r.id, 'hex'), key: Buffer.from(keyHex, 'hex') };
}

async function createBinding(path: string, keychain: Keychain): Promise<Binding> {
  const binding = { id: randomBytes(ID_BYTES), key: randomBytes(KEY_BYTES) };
  const file = {
    v: 1,
    id: binding.id.toString('hex'),
    key: keychain.encryptString(binding.key.toString('hex')).toString('base64'),
  };
  // Written whole or not at all: a torn file would orphan every blob made afterwards.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(file)}\n`, { encoding: 'utf8', mode: 0o600 });
  await rename(tmp, path);
  return binding;
}

export interface SecretBinding {
  /** base64 blob that only this installation's `unprotect` opens. */
  protect(plainText: string): Promise<string>;
  /** The original text; SECRET_FOREIGN for any blob this installation did not make. */
  unprotect(blobBase64: string): Promise<string>;
}

/** Protect/unprotect bound to the installation whose binding lives at `path`. */
export function createSecretBinding(path: string, keychain: Keychain): SecretBinding {
  let loaded: Promise<Binding | null> | null = null;
  const load = (): Promise<Binding | null> => {
    loaded ??= readBinding(path, keychain).catch((e: unknown) => {
      loaded = null; // a keychain hiccup should not stick for the whole session
      throw e;
    });
    return loaded;
  };
  let creating: Promise<Binding> | null = null;

  return {
    async protect(plainText) {
      if (!keychain.isEncryptionAvailable()) throw unavailable();
      let binding = await load();
      if (!binding) {
        creating ??= createBinding(path, keychain);
        binding = await creating;
        loaded = Promise.resolve(binding);
      }
      const ciphertext = keychain.encryptString(plainText);
      const mac = macOf(binding.key, binding.id, ciphertext);
      return Buffer.concat([MAGIC, binding.id, mac, ciphertext]).toString('base64');
    },

    async unprotect(blobBase64) {
      if (!keychain.isEncryptionAvailable()) throw unavailable();
      const blob = Buffer.from(blobBase64, 'base64');
      if (blob.length <= HEADER_BYTES || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw foreign('not an installation-bound blob');
      }
      const binding = await load();
      if (!binding) throw foreign('this installation has never protected a secret');
      const id = blob.subarray(MAGIC.length, MAGIC.length + ID_BYTES);
      if (!id.equals(binding.id)) throw foreign('it belongs to another installation');
      const mac = blob.subarray(MAGIC.length + ID_BYTES, HEADER_BYTES);
      const ciphertext = blob.subarray(HEADER_BYTES);
      // Checked before the keychain sees a single byte: foreign ciphertext is never decrypted.
      if (!timingSafeEqual(mac, macOf(binding.key, id, ciphertext))) throw foreign('its seal does not match');
      try {
        return keychain.decryptString(ciphertext);
      } catch {
        throw decryptFailed();
      }
    },
  };
}
