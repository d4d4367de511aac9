/**
 * Lower-case hex for keys and ids on screens that must not load the crypto code (the first
 * screen, the group session): shared/crypto/hash.ts pulls in @noble/hashes.
 */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** The bytes of an even-length hex string the caller already checked (schemas do). */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
