import { describe, expect, it } from 'vitest';
import { bareState } from '../../../shared/ledger/test-fixtures';
import type { ConflictState } from '../../../shared/ledger/types';
import { reviewCount } from './reviewCount';

const conflict = (n: number, resolved: boolean): ConflictState => ({
  expense: String(n).repeat(64),
  kind: 'update-update',
  base: 'b'.repeat(64),
  versions: ['c'.repeat(64), 'd'.repeat(64)],
  winner: 'd'.repeat(64),
  resolved,
});

describe('reviewCount', () => {
  it('is unseen arrivals plus open conflicts, zero once both are dealt with', () => {
    const state = bareState('0'.repeat(32), 5, {
      conflicts: [conflict(1, false), conflict(2, true), conflict(3, false)],
    });
    expect(reviewCount(state, 4)).toBe(6);
    expect(reviewCount(state, 0)).toBe(2);
    const resolved = { ...state, conflicts: state.conflicts.map((c) => ({ ...c, resolved: true })) };
    expect(reviewCount(resolved, 0)).toBe(0);
    expect(reviewCount(null, 3)).toBe(3);
  });
});
