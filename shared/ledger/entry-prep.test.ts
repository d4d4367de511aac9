import { describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import {
  CHECKED,
  NO_DECRYPT,
  NO_HEADER,
  packEntries,
  prepareChunk,
  prepareEntries,
  unpackChunk,
} from './entry-prep';
import { flipByte, twoAuthorHistory, withBody } from './test-fixtures';

const utf8 = new TextEncoder();

/**
 * Good entries plus one of each body verdict, a header that does not decode, and valid events
 * written otherwise than createEntry writes them (the schema trims, fills in a default, and
 * orders keys): those pass, with the schema's form of the event.
 */
async function mixed() {
  const { g, alice, bytes } = await twoAuthorHistory(6);
  const notAnEvent = await alice.write({ type: 'chat.message', text: 'x' });
  const body = (text: string) => withBody(notAnEvent.bytes, utf8.encode(text), alice.identity, g.groupKey);
  const expense = (fields: string) =>
    body(
      `{"type":"expense.created","expense":{${fields}"currency":"CNY","amount":300,"date":"2026-11-01",` +
        `"payers":[{"member":"${alice.id}","amount":300}],"split":{"mode":"equal","members":["${alice.id}"]}}}`,
    );
  const entries = [
    ...bytes,
    await body('{"type":"nope"}'),
    await withBody(notAnEvent.bytes, new Uint8Array([0xff, 0xfe]), alice.identity, g.groupKey),
    flipByte(bytes[2]!, 150), // body tampered
    flipByte(bytes[3]!, 2), // no header
    await expense('"description":"  Rice  ","category":"food",'), // trimmed by the schema
    await expense('"description":"Rice",'), // category defaults to "general"
    await body('{"text":"keys in another order","type":"chat.message"}'),
  ];
  return { g, entries, unusual: 3 };
}

describe('prepared chunks (what crosses between threads)', () => {
  it('give exactly what prepareEntries gives, ids and verdicts', async () => {
    const { g, entries, unusual } = await mixed();
    const chunk = prepareChunk(packEntries(entries), g.groupKey);
    expect([...chunk.lengths].filter((n) => n === NO_HEADER)).toHaveLength(1);
    expect([...chunk.lengths].filter((n) => n === NO_DECRYPT)).toHaveLength(1);
    // Checked there: every event createEntry wrote; the rest comes back as plaintext.
    expect([...chunk.lengths].filter((n) => n === CHECKED)).toHaveLength(entries.length - 4 - unusual);
    const unpacked = unpackChunk(chunk, entries.length);
    expect(unpacked).toEqual(prepareEntries(entries, g.groupKey));
    const events = unpacked.slice(-unusual).map((p) => (p.opened?.ok ? p.opened.value : p.opened));
    expect(events).toEqual([
      expect.objectContaining({
        expense: expect.objectContaining({ description: 'Rice', category: 'food' }),
      }),
      expect.objectContaining({
        expense: expect.objectContaining({ description: 'Rice', category: 'general' }),
      }),
      { type: 'chat.message', text: 'keys in another order' },
    ]);
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
      { ...chunk, lengths: Int32Array.from(chunk.lengths, (x, i) => (i === 0 ? -4 : x)) },
      { ...chunk, lengths: Int32Array.from(chunk.lengths, (x, i) => (i === n - 1 ? CHECKED : x)) },
      { ...chunk, plaintexts: 'nope' as unknown as Uint8Array },
      { ...chunk, events: chunk.events.slice(0, -1) },
      { ...chunk, events: '{}' },
      { ...chunk, events: chunk.events.replace(/^\[\{[^{}]*\},/, '[') },
      { ...chunk, events: 7 as unknown as string },
      { ...chunk, keys: chunk.keys.slice(160) },
      { ...chunk, numbers: chunk.numbers.slice(3) },
      { ...chunk, numbers: Array.from(chunk.numbers) as unknown as Float64Array },
    ];
    for (const b of broken) expect(() => unpackChunk(b, n)).toThrow('does not match');
  });
});
