import { describe, expect, it } from 'vitest';
import { fold } from './fold';
import { equalExpense, memberId, TestLedger } from './fold-testkit';
import { canonicalJson, stateHash } from './state-hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members, keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,1]},"b":1}',
    );
    expect(canonicalJson([undefined, null, true, 'é"'])).toBe('[null,null,true,"é\\""]');
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'not_canonical' }),
    );
    expect(() => canonicalJson({ m: new Map() })).toThrow(expect.objectContaining({ code: 'not_canonical' }));
    expect(() => canonicalJson({ b: 1n })).toThrow(expect.objectContaining({ code: 'not_canonical' }));
  });
});

describe('stateHash', () => {
  const A = memberId('alice');
  const B = memberId('bo');

  it('is the hex SHA-256 of the canonical JSON, independent of key insertion order', () => {
    const L = new TestLedger();
    L.add(A, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'Alice' });
    const s = fold(L.groupId, L.entries);
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as typeof s;
    expect(stateHash(s)).toMatch(/^[0-9a-f]{64}$/);
    expect(stateHash(reordered)).toBe(stateHash(s));
    // SHA-256 of "{}", to pin the hash function and encoding themselves.
    expect(stateHash({} as typeof s)).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
  });

  it('changes when anything in the state changes', () => {
    const L = new TestLedger();
    L.add(A, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'Alice' });
    L.add(B, { type: 'member.joined', name: 'Bo' });
    const before = stateHash(fold(L.groupId, L.entries));
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 100) });
    const after = stateHash(fold(L.groupId, L.entries));
    expect(after).not.toBe(before);
  });
});
