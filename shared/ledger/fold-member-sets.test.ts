import { describe, expect, it } from 'vitest';
import { memberSetWith, memberSetWithout, NO_MEMBERS } from './fold-member-sets';
import { memberId } from './fold-testkit';

const [A, B, C] = ['a', 'b', 'c'].map(memberId) as [string, string, string];

describe('memberSetWith', () => {
  it('numbers a join history the same every time, and different histories differently', () => {
    const ab = memberSetWith(memberSetWith(NO_MEMBERS, A), B);
    expect(memberSetWith(memberSetWith(NO_MEMBERS, A), B)).toBe(ab);
    const ids = [
      NO_MEMBERS,
      memberSetWith(NO_MEMBERS, A),
      ab,
      memberSetWith(ab, C),
      memberSetWith(memberSetWith(NO_MEMBERS, A), C),
      memberSetWith(memberSetWith(NO_MEMBERS, B), A),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('numbers a set that shrank by its history too, never as the set it shrank from', () => {
    const abc = memberSetWith(memberSetWith(memberSetWith(NO_MEMBERS, A), B), C);
    const abcMinusB = memberSetWithout(abc, B);
    expect(memberSetWithout(abc, B)).toBe(abcMinusB);
    const ids = [
      abc,
      abcMinusB,
      memberSetWithout(abc, C),
      memberSetWith(abcMinusB, B),
      memberSetWith(abc, B),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never hands out a number twice, even after forgetting old histories', () => {
    const before = memberSetWith(NO_MEMBERS, A);
    const seen = new Set([before]);
    // Enough fresh steps to make the table start over at least once.
    for (let i = 0; i < 60_000; i++) seen.add(memberSetWith(i + 1_000_000, A));
    const after = memberSetWith(NO_MEMBERS, A);
    expect(seen.size).toBe(60_001);
    expect(seen.has(after)).toBe(false);
  });
});
