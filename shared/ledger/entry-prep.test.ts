import { describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import { NO_DECRYPT, NO_HEADER, packEntries, prepareChunk, prepareEntries, unpackChunk } from './entry-prep';
import { flipByte, twoAuthorHistory, withBody } from './test-fixtures';

/** Good entries plus one of each body verdict and a header that does not decode. */
async function mixed() {
  const { g, alice, bytes } = await twoAuthorHistory(6);
  const notAnEvent = await alice.write({ type: 'chat.message', text: 'x' });
  const entries = [
    ...bytes,
    await withBody(notAnEvent.bytes, new TextEncoder().encode('{"type":"nope"}'), alice.identity, g.groupKey),
    await withBody(notAnEvent.bytes, new Uint8Array([0xff, 0xfe]), alice.identity, g.groupKey),
    flipByte(bytes[2]!, 150), // body tampered
    flipByte(bytes[3]!, 2), // no header
  ];
  return { g, entries };
}

describe('prepared chunks (what crosses between threads)', () => {
  it('give exactly what prepareEntries gives, ids and verdicts', async () => {
    const { g, entries } = await mixed();
    const chunk = prepareChunk(packEntries(entries), g.groupKey);
    expect([...chunk.lengths].filter((n) => n === NO_HEADER)).toHaveLength(1);
    expect([...chunk.lengths].filter((n) => n === NO_DECRYPT)).toHaveLength(1);
    const unpacked = unpackChunk(chunk, entries.length);
    expect(unpacked).toEqual(prepareEntries(entries, g.groupKey));
    const codes = unpacked.map((p) =>
      p.opened === undefined ? 'none' : p.opened.ok ? 'ok' : p.opened.error.code,
    );
    expect(codes.filter((c) => c === 'ok')).toHaveLength(entries.length - 4);
    expect(codes.filter((c) => c !== 'ok').sort()).toEqual([
      'decrypt_failed',
      'none',
      'schema_invalid',
      'schema_invalid',
    ]);
  });

  it('open nothing under another group key', async () => {
    const { entries } = await mixed();
    const chunk = prepareChunk(packEntries(entries), generateGroupKey());
    expect([...chunk.lengths].every((n) => n === NO_DECRYPT || n === NO_HEADER)).toBe(true);
    expect(chunk.plaintexts).toHaveLength(0);
  });

  it('refuse a reply of the wrong shape instead of trusting it', async () => {
    const { g, entries } = await mixed();
    const chunk = prepareChunk(packEntries(entries), g.groupKey);
    const n = entries.length;
    expect(unpackChunk(chunk, n)).toHaveLength(n);
    const broken = [
      { ...chunk, ids: chunk.ids.slice(1) },
      { ...chunk, ids: `Z${chunk.ids.slice(1)}` },
      { ...chunk, lengths: chunk.lengths.slice(1) },
      { ...chunk, lengths: Int32Array.from(chunk.lengths, (x, i) => (i === 0 ? x + 10_000 : x)) },
      { ...chunk, lengths: Int32Array.from(chunk.lengths, (x, i) => (i === 0 ? -3 : x)) },
      { ...chunk, plaintexts: 'nope' as unknown as Uint8Array },
    ];
    for (const b of broken) expect(() => unpackChunk(b, n)).toThrow('does not match');
  });
});
