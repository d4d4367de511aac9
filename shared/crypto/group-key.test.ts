import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from './hash';
import { deriveRelayToken, generateGroupId, generateGroupKey, groupIdToBytes, isGroupId } from './group-key';

describe('group key', () => {
  it('generates 32-byte keys and 128-bit hex ids', () => {
    expect(generateGroupKey()).toHaveLength(32);
    const id = generateGroupId();
    expect(isGroupId(id)).toBe(true);
    expect(groupIdToBytes(id)).toHaveLength(16);
    expect(generateGroupId()).not.toBe(id);
  });

  it('derives the relay token with HKDF-SHA256 and the documented info label', () => {
    const key = new Uint8Array(32).fill(0x42);
    const expected = bytesToHex(
      hkdf(sha256, key, undefined, new TextEncoder().encode('tally relay-token v1'), 32),
    );
    expect(deriveRelayToken(key)).toBe(expected);
    expect(deriveRelayToken(key)).not.toBe(bytesToHex(key));
    expect(deriveRelayToken(new Uint8Array(32).fill(0x43))).not.toBe(expected);
  });

  it('refuses keys and ids of the wrong shape', () => {
    expect(() => deriveRelayToken(new Uint8Array(16))).toThrow(/32 bytes/);
    expect(() => groupIdToBytes('ABCDEF00ABCDEF00ABCDEF00ABCDEF00')).toThrow(/group id/);
  });
});
