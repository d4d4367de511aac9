import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import file from '../../docs/vectors/entries.json';
import { bytesToHex, hexToBytes } from '../crypto/hash';
import { openEntry } from './envelope';
import { GroupLog } from './group-log';
import { buildVectors } from './test-vectors';

const secrets = { groupId: file.group.groupId, groupKey: hexToBytes(file.group.groupKey) };

describe('protocol test vectors (docs/vectors/entries.json)', () => {
  it('re-derive byte for byte from their inputs', async () => {
    expect(await buildVectors()).toEqual(file);
  });

  it('match the documented definitions, checked with the primitives directly', () => {
    for (const v of file.entries) {
      const bytes = hexToBytes(v.bytes);
      const n = bytes.length;
      expect(bytesToHex(sha256(bytes))).toBe(v.id);
      const signed = bytes.subarray(0, n - 64);
      const label = hexToBytes(file.signatureLabel);
      const author = file.identities.find((i) => i.name === v.author)!.publicKey;
      expect(bytesToHex(bytes.subarray(20, 52))).toBe(author);
      const msg = new Uint8Array([...label, ...signed]);
      expect(ed25519.verify(bytes.subarray(n - 64), msg, hexToBytes(author), { zip215: false })).toBe(true);
      const plain = xchacha20poly1305(
        secrets.groupKey,
        bytes.subarray(104, 128),
        bytes.subarray(0, 132),
      ).decrypt(bytes.subarray(132, n - 64));
      expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(v.event);
    }
  });

  it('verify through openEntry and GroupLog; the invalid ones fail with their code', async () => {
    for (const v of file.entries) {
      const r = await openEntry(hexToBytes(v.bytes), secrets);
      expect(r.ok && r.value.id).toBe(v.id);
    }
    for (const v of file.invalid) {
      const r = await openEntry(hexToBytes(v.bytes), secrets);
      expect(r.ok ? 'ok' : r.error.code).toBe(v.code);
    }
    const log = new GroupLog(secrets);
    const report = await log.ingest(file.entries.map((v) => hexToBytes(v.bytes)));
    expect(report.accepted).toHaveLength(file.entries.length);
  });
});
