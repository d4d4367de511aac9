import { describe, expect, it } from 'vitest';
import type { WalletEventInput } from '../../../shared/ledger/envelope';
import { fold } from '../../../shared/ledger/fold';
import { memberId, TestLedger } from '../../../shared/ledger/fold-testkit';
import type { GroupState } from '../../../shared/ledger/types';
import { answerHandover, handOverBalance, leaveGroup, removeOrApprove } from './membershipActions';

const [A, B, C] = ['a', 'b', 'c'].map(memberId) as [string, string, string];

function flat(extra: (L: TestLedger) => void = () => {}): GroupState {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'A' });
  L.add(B, { type: 'member.joined', name: 'B' });
  L.add(C, { type: 'member.joined', name: 'C' });
  extra(L);
  return fold(L.groupId, L.entries);
}

function writer(state: GroupState) {
  const written: WalletEventInput[] = [];
  return {
    written,
    session: {
      getSnapshot: () => ({ joined: true, state }) as never,
      append: async (event: WalletEventInput) => {
        written.push(event);
        return 'e'.repeat(64);
      },
    },
  };
}

describe('membership actions', () => {
  it('remove directly as the creator, approve otherwise', async () => {
    const w = writer(flat());
    await removeOrApprove(w.session, A, C);
    await removeOrApprove(w.session, B, C);
    await leaveGroup(w.session, B);
    expect(w.written).toEqual([
      { type: 'member.removed', member: C },
      { type: 'member.removal_approved', member: C },
      { type: 'member.left' },
    ]);
  });

  it('write hand-overs and their answers', async () => {
    const w = writer(flat());
    await handOverBalance(w.session, B, C, 'EUR', -1250);
    await answerHandover(w.session, C, 'h'.repeat(64), 'accept');
    await answerHandover(w.session, B, 'h'.repeat(64), 'cancel');
    expect(w.written).toEqual([
      { type: 'balance.handed_over', to: C, currency: 'EUR', amount: -1250 },
      { type: 'balance.handover_accepted', handover: 'h'.repeat(64) },
      { type: 'balance.handover_cancelled', handover: 'h'.repeat(64) },
    ]);
  });

  it('refuse what the fold would ignore, writing nothing', async () => {
    const gone = flat((L) => L.add(C, { type: 'member.left' }));
    const w = writer(gone);
    await expect(leaveGroup(w.session, C)).rejects.toMatchObject({ code: 'departed' });
    await expect(removeOrApprove(w.session, A, C)).rejects.toMatchObject({ code: 'invalid_member' });
    await expect(removeOrApprove(w.session, B, B)).rejects.toMatchObject({ code: 'invalid_member' });
    await expect(handOverBalance(w.session, B, C, 'EUR', 100)).rejects.toMatchObject({
      code: 'invalid_member',
    });
    await expect(handOverBalance(w.session, B, A, 'EUR', 0)).rejects.toMatchObject({
      code: 'invalid_amount',
    });
    const approved = writer(flat((L) => L.add(B, { type: 'member.removal_approved', member: C })));
    await expect(removeOrApprove(approved.session, B, C)).rejects.toMatchObject({ code: 'already_approved' });
    expect([...w.written, ...approved.written]).toEqual([]);
  });
});
