/**
 * The OS keychain (Electron safeStorage through the preload's secret API) as encryption at rest
 * needs it (shared/sync/at-rest-vault.ts); undefined in a browser, which has none.
 */
import type { Keychain } from '../../../shared/sync/at-rest-vault';
import { bridge } from './platform';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function desktopKeychain(): Keychain | undefined {
  const b = bridge();
  if (!b) return undefined;
  return {
    async available() {
      const status = await b.secretStatus();
      return status.ok && status.value.secure;
    },
    async protect(bytes) {
      const r = await b.protectSecret(toBase64(bytes));
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
    async unprotect(wrapped) {
      const r = await b.unprotectSecret(wrapped);
      if (!r.ok) throw new Error(r.error.message);
      return fromBase64(r.value);
    },
  };
}
