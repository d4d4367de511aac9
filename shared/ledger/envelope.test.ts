import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import { bytesToHex, sha256Hex } from '../crypto/hash';
import { generateIdentity } from '../crypto/identity';
import type { EntryErrorCode } from './entry-errors';
import {
  type CreatedEntry,
  createEntry,
  decodeEntry,
  decodeHeader,
  decryptEntryBody,
  decryptEvent,
  ENTRY_VERSION,
  HEADER_LENGTH,
  MAX_ENTRY_SIZE,
  openEntry,
  signatureCheckOf,
  signingMessage,
} from './envelope';
import { chat, flipByte, newGroup, TestAuthor, withBody } from './test-fixtures';

const group = newGroup();
const alice = new TestAuthor(group);
let first: CreatedEntry;
let second: CreatedEntry;

beforeAll(async () => {
  first = await alice.write({ type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  second = await alice.write({
    type: 'expense.created',
    expense: {
      description: '买菜 groceries',
      currency: 'CNY',
      amount: 18240,
      date: '2025-01-03',
      payers: [{ member: alice.id, amount: 18240 }],
      split: { mode: 'equal', members: [alice.id] },
    },
  });
});

async function openCode(bytes: Uint8Array, secrets = group): Promise<EntryErrorCode | 'ok'> {
  const r = await openEntry(bytes, secrets);
  return r.ok ? 'ok' : r.error.code;
}

describe('createEntry / openEntry', () => {
  it('round-trips header and event, id = SHA-256 of all bytes', async () => {
    const r = await openEntry(second.bytes, group);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(second.entry);
    expect(r.value.id).toBe(sha256Hex(second.bytes));
    expect(r.value.header).toMatchObject({ version: 1, groupId: group.groupId, author: alice.id, seq: 2 });
    expect(r.value.header.prev).toBe(first.id);
    expect(first.entry.header.prev).toBeNull();
  });

  it('stores the schema output, so defaults are what every reader sees', () => {
    expect(second.entry.event).toMatchObject({ type: 'expense.created', expense: { category: 'general' } });
  });

  it('lays out the header as documented', () => {
    const b = second.bytes;
    const view = new DataView(b.buffer, b.byteOffset);
    expect(new TextDecoder().decode(b.subarray(0, 3))).toBe('TLY');
    expect(b[3]).toBe(ENTRY_VERSION);
    expect(bytesToHex(b.subarray(56, 88))).toBe(first.id);
    expect(bytesToHex(b.subarray(20, 52))).toBe(alice.id);
    expect(bytesToHex(b.subarray(4, 20))).toBe(group.groupId);
    expect(view.getUint32(52)).toBe(2);
    expect(view.getUint32(92)).toBe(second.entry.header.lamport);
    expect(view.getUint32(128)).toBe(b.length - HEADER_LENGTH - 64);
  });

  it('uses a fresh nonce per entry, or the injected one', async () => {
    const a = await alice.write(chat('x'));
    const b = await alice.write(chat('x'));
    expect(a.bytes.subarray(104, 128)).not.toEqual(b.bytes.subarray(104, 128));
    const nonce = new Uint8Array(24).fill(9);
    const c = await alice.write(chat('x'), { nonce });
    expect(c.bytes.subarray(104, 128)).toEqual(nonce);
  });

  it.each([
    [{ seq: 0 }, 'invalid_header'],
    [{ seq: 2, prev: null }, 'invalid_header'],
    [{ seq: 1, prev: 'ab'.repeat(32) }, 'invalid_header'],
    [{ seq: 2, prev: 'AB'.repeat(32) }, 'invalid_header'],
    [{ lamport: 0 }, 'invalid_header'],
    [{ lamport: 2 ** 53 }, 'invalid_header'],
    [{ time: -1 }, 'invalid_header'],
    [{ groupId: 'nope' }, 'invalid_header'],
    [{ groupKey: new Uint8Array(16) }, 'invalid_key'],
  ])('refuses bad input %j with %s', async (over, code) => {
    const input = {
      identity: alice.identity,
      groupId: group.groupId,
      groupKey: group.groupKey,
      seq: 1,
      prev: null,
      lamport: 1,
      time: 0,
      event: chat('hi'),
      ...over,
    };
    await expect(createEntry(input)).rejects.toMatchObject({ code });
  });

  it('refuses an invalid event with schema_invalid and an oversize one with too_large', async () => {
    const base = {
      identity: alice.identity,
      groupId: group.groupId,
      groupKey: group.groupKey,
      seq: 1,
      prev: null,
      lamport: 1,
      time: 0,
    };
    await expect(createEntry({ ...base, event: { type: 'chat.message', text: '' } })).rejects.toMatchObject({
      code: 'schema_invalid',
    });
    // An "exact" split may name many members; 1,000 of them exceed 64 KiB.
    const amounts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) amounts[i.toString(16).padStart(64, '0')] = 1;
    const big = {
      type: 'expense.created' as const,
      expense: {
        description: 'big',
        currency: 'CNY',
        amount: 1000,
        date: '2025-01-01',
        payers: [{ member: alice.id, amount: 1000 }],
        split: { mode: 'exact' as const, amounts },
      },
    };
    await expect(createEntry({ ...base, event: big })).rejects.toMatchObject({ code: 'too_large' });
  });

  it('detects each stateless failure with its code', async () => {
    const b = second.bytes;
    expect(await openCode(b)).toBe('ok');
    expect(await openCode(b.subarray(0, b.length - 1))).toBe('malformed');
    expect(await openCode(new Uint8Array([...b, 0]))).toBe('malformed');
    expect(await openCode(flipByte(b, 0))).toBe('malformed');
    expect(await openCode(flipByte(b, 3))).toBe('unsupported_version');
    expect(await openCode(new Uint8Array(MAX_ENTRY_SIZE + 1))).toBe('too_large');
    expect(await openCode(b, { ...group, groupId: newGroup().groupId })).toBe('wrong_group');
    expect(await openCode(flipByte(b, 100))).toBe('bad_signature'); // header (time)
    expect(await openCode(flipByte(b, HEADER_LENGTH + 3))).toBe('bad_signature'); // body
    expect(await openCode(flipByte(b, b.length - 1))).toBe('bad_signature'); // signature
    expect(await openCode(b, { ...group, groupKey: generateGroupKey() })).toBe('decrypt_failed');
    const notJson = await withBody(b, new TextEncoder().encode('{not json'), alice.identity, group.groupKey);
    expect(await openCode(notJson)).toBe('schema_invalid');
    const badEvent = await withBody(
      b,
      new TextEncoder().encode('{"type":"expense.deleted"}'),
      alice.identity,
      group.groupKey,
    );
    expect(await openCode(badEvent)).toBe('schema_invalid');
    const badUtf8 = await withBody(b, new Uint8Array([0x22, 0xff, 0x22]), alice.identity, group.groupKey);
    expect(await openCode(badUtf8)).toBe('schema_invalid');
  });

  it('refuses an entry signed by a key other than its author', async () => {
    const mallory = generateIdentity();
    const forged = await createEntry({
      identity: { publicKey: alice.identity.publicKey, secretKey: mallory.secretKey },
      groupId: group.groupId,
      groupKey: group.groupKey,
      seq: 1,
      prev: null,
      lamport: 1,
      time: 0,
      event: chat('I am Alice'),
    });
    expect(await openCode(forged.bytes)).toBe('bad_signature');
  });

  it('refuses out-of-range header fields when decoding', () => {
    const b = first.bytes;
    const withU32 = (at: number, v: number) => {
      const c = b.slice();
      new DataView(c.buffer).setUint32(at, v);
      return c;
    };
    const code = (x: Uint8Array) => {
      const r = decodeEntry(x);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(withU32(52, 0))).toBe('malformed'); // seq 0
    expect(code(withU32(52, 2))).toBe('malformed'); // seq 2 with zero prev
    expect(code(flipByte(b, 60))).toBe('malformed'); // seq 1 with a prev
    expect(code(withU32(88, 0x20_0000))).toBe('malformed'); // lamport ≥ 2^53
    expect(code(withU32(92, 0))).toBe('malformed'); // lamport 0 (high word is 0 already)
    expect(code(withU32(96, 0xffff_ffff))).toBe('malformed'); // time ≥ 2^53
    expect(code(withU32(128, 1))).toBe('malformed'); // body length mismatch
    expect(code(b.subarray(0, 10))).toBe('malformed');
  });
});

describe('decoder fuzzing', () => {
  const codes = new Set(['malformed', 'unsupported_version', 'too_large']);
  const decodesSafely = (bytes: Uint8Array) => {
    const r = decodeEntry(bytes); // must not throw
    return r.ok || (codes.has(r.error.code) && r.error.message.length > 0);
  };

  it('returns a typed error (never throws) on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), decodesSafely), { numRuns: 500 });
  });

  it('returns a typed error on every truncation and on random bytes after a valid magic', () => {
    for (let n = 0; n < second.bytes.length; n++) {
      const r = decodeEntry(second.bytes.subarray(0, n));
      expect(r.ok).toBe(false);
    }
    const prefixed = fc.uint8Array({ minLength: 200, maxLength: 600 }).map((tail) => {
      const out = new Uint8Array(4 + tail.length);
      out.set([0x54, 0x4c, 0x59, 1]);
      out.set(tail, 4);
      return out;
    });
    fc.assert(fc.property(prefixed, decodesSafely), { numRuns: 500 });
  });

  it('never opens an entry with any single byte changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: second.bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, x) => {
          const bad = second.bytes.slice();
          bad[at]! ^= x;
          const r = await openEntry(bad, group);
          return !r.ok && r.error instanceof Error && r.error.code.length > 0;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('hot-path helpers agree with decodeEntry / decryptEvent', () => {
  it('decodeHeader, decryptEntryBody and signatureCheckOf see what decodeEntry sees', async () => {
    const other = generateGroupKey();
    const variants = [first.bytes, second.bytes];
    for (let at = 0; at < second.bytes.length; at += 7) variants.push(flipByte(second.bytes, at));
    variants.push(second.bytes.subarray(0, 300), new Uint8Array([...second.bytes, 1]));
    for (const bytes of variants) {
      const full = decodeEntry(bytes);
      const head = decodeHeader(bytes);
      expect(head.ok).toBe(full.ok);
      if (!full.ok || !head.ok) {
        expect(!head.ok && head.error.code).toBe(!full.ok && full.error.code);
        continue;
      }
      expect(head.value).toEqual(full.value.header);
      for (const key of [group.groupKey, other]) {
        const a = decryptEntryBody(bytes, key);
        const b = decryptEvent(full.value, key);
        expect(a.ok ? a.value : a.error.code).toEqual(b.ok ? b.value : b.error.code);
      }
      expect(signatureCheckOf(bytes)).toEqual({
        publicKey: full.value.authorKey,
        message: signingMessage(full.value.signed),
        signature: full.value.signature,
      });
    }
  });
});
