import { describe, expect, it } from 'vitest';
import { generateGroupId } from '../crypto/group-key';
import { ADMISSION_CODES, admitBatch, checkShape } from './admission';
import { entryIdOf } from './envelope';
import { flipByte, newGroup, TestAuthor } from './test-fixtures';

const SIGNATURE_BYTE = -3; // a byte inside the signature (from the end)

describe('checkShape', () => {
  it('refuses each category with the client’s code, in order', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const entry = await a.join('A');
    const key = entry.id;
    const versioned = entry.bytes.slice();
    versioned[3] = 2;
    expect(checkShape(g.groupId, 'text', key)).toEqual({ ok: false, code: 'not_bytes' });
    expect(checkShape(g.groupId, [1, 2, 3], key)).toEqual({ ok: false, code: 'not_bytes' });
    expect(checkShape(g.groupId, new Uint8Array(70_000), key)).toEqual({ ok: false, code: 'too_large' });
    expect(checkShape(g.groupId, new TextEncoder().encode('one'), key)).toEqual({
      ok: false,
      code: 'malformed',
    });
    expect(checkShape(g.groupId, entry.bytes.subarray(0, 200), key)).toEqual({
      ok: false,
      code: 'malformed',
    });
    expect(checkShape(g.groupId, versioned, key)).toEqual({ ok: false, code: 'unsupported_version' });
    expect(checkShape(generateGroupId(), entry.bytes, key)).toEqual({ ok: false, code: 'wrong_group' });
    expect(checkShape(g.groupId, entry.bytes, 'e1')).toEqual({ ok: false, code: 'key_mismatch' });
    const fine = checkShape(g.groupId, entry.bytes, key);
    expect(fine.ok && fine.entry.id).toBe(key);
    expect(ADMISSION_CODES).toContain('bad_signature');
  });
});

describe('admitBatch', () => {
  it('admits a batch of N entries from A authors with A signature checks', async () => {
    const g = newGroup();
    const authors = [new TestAuthor(g), new TestAuthor(g), new TestAuthor(g)];
    const bytes: Uint8Array[] = [];
    for (const a of authors) bytes.push((await a.join()).bytes, ...(await a.chats(9)).map((e) => e.bytes));
    const report = await admitBatch(
      g.groupId,
      bytes.map((value) => ({ value, key: entryIdOf(value) })),
    );
    expect(report.verdicts.every((v) => v.ok)).toBe(true);
    expect(report.verified).toBe(3);
  });

  it('refuses a forged entry, finds the authentic prefix below it, and refuses misfiled ones', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const chain = [(await a.join()).bytes, ...(await a.chats(3)).map((e) => e.bytes)];
    const forgedTip = flipByte(chain[3]!, chain[3]!.length + SIGNATURE_BYTE);
    const items = [
      ...chain.slice(0, 3).map((value) => ({ value, key: entryIdOf(value) })),
      { value: forgedTip, key: entryIdOf(forgedTip) },
      { value: chain[1]!, key: 'not-its-id' },
      { value: 42 },
    ];
    const report = await admitBatch(g.groupId, items);
    expect(report.verdicts.map((v) => (v.ok ? 'ok' : v.code))).toEqual([
      'ok',
      'ok',
      'ok',
      'bad_signature',
      'key_mismatch',
      'not_bytes',
    ]);
    expect(report.verified).toBe(2); // the forged tip, then its predecessor
  });

  it('needs no signature for an entry whose successor is already admitted (chain-tip rule)', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const first = await a.join();
    const second = await a.write({ type: 'chat.message', text: 'hi' });
    // The admitted successor's signature covers this entry's hash (protocol.md §8): no check needed.
    const vouched = await admitBatch(g.groupId, [{ value: first.bytes }], {
      vouches: (link) => link.id === second.entry.header.prev,
    });
    expect(vouched.verdicts[0]!.ok).toBe(true);
    expect(vouched.verified).toBe(0);
  });
});
