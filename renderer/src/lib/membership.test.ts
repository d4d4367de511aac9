import { describe, expect, it } from 'vitest';
import { fold } from '../../../shared/ledger/fold';
import { memberId, TestLedger } from '../../../shared/ledger/fold-testkit';
import { activeMembers, pendingHandovers, removalProgress, selectableMemberIds } from './membership';

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map(memberId) as [string, string, string, string];

function flat() {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'A' });
  for (const m of [B, C, D]) L.add(m, { type: 'member.joined', name: m.slice(0, 3) });
  return L;
}

describe('membership helpers', () => {
  it('counts approvals as the fold does: active approvers only, majority of the others', () => {
    const L = flat();
    L.add(B, { type: 'member.removal_approved', member: D });
    let s = fold(L.groupId, L.entries);
    expect(removalProgress(s, D)).toEqual({ approvals: 1, needed: 2, approvedBy: [B] });
    L.add(B, { type: 'member.left' });
    s = fold(L.groupId, L.entries);
    // B's approval stopped counting; the voters are A and C.
    expect(removalProgress(s, D)).toEqual({ approvals: 0, needed: 2, approvedBy: [] });
    L.add(A, { type: 'member.removal_approved', member: D });
    L.add(C, { type: 'member.removal_approved', member: D });
    s = fold(L.groupId, L.entries);
    expect(s.members.find((m) => m.id === D)!.status).toBe('removed');
    expect(
      activeMembers(s)
        .map((m) => m.id)
        .sort(),
    ).toEqual([A, C].sort());
    expect(selectableMemberIds(s, [D]).sort()).toEqual([A, C, D].sort());
  });

  it('lists the hand-overs waiting on each side', () => {
    const L = flat();
    const h = L.add(B, { type: 'balance.handed_over', to: C, currency: 'EUR', amount: -500 });
    const s = fold(L.groupId, L.entries);
    expect(pendingHandovers(s, C).toMe.map((x) => x.id)).toEqual([h.id]);
    expect(pendingHandovers(s, B).fromMe.map((x) => x.id)).toEqual([h.id]);
    L.add(C, { type: 'balance.handover_accepted', handover: h.id });
    expect(pendingHandovers(fold(L.groupId, L.entries), C).toMe).toEqual([]);
  });
});
