import { describe, expect, it } from 'vitest';
import type { WalletEventInput } from '../../../shared/ledger/envelope';
import type { OccurrenceState } from '../../../shared/ledger/types';
import { createRecurring, saveOccurrence, skipOccurrence, stopRecurringAfter } from './recurringActions';

const A = 'a'.repeat(64);
const RULE = 'r'.repeat(64);
const data = {
  description: 'Rent',
  category: 'housing',
  currency: 'EUR',
  amount: 100_000,
  date: '2025-02-28',
  payers: [{ member: A, amount: 100_000 }],
  split: { mode: 'equal' as const, members: [A] },
};
const { date: _date, ...template } = data;
const occurrence: OccurrenceState = { id: `${RULE}|2025-02-28`, rule: RULE, date: '2025-02-28', data };
const monthly = { freq: 'monthly' as const, start: '2025-01-31', interval: 1, day: 31 as const };

function writer(joined = true) {
  const written: WalletEventInput[] = [];
  return {
    written,
    session: {
      getSnapshot: () => ({ joined }) as never,
      append: async (event: WalletEventInput) => {
        written.push(event);
        return 'e'.repeat(64);
      },
    },
  };
}

describe('recurring actions', () => {
  it('write the documented events', async () => {
    const w = writer();
    await createRecurring(w.session, monthly, template);
    await skipOccurrence(w.session, RULE, '2025-02-28');
    await stopRecurringAfter(w.session, RULE, '2025-12-31');
    expect(w.written).toEqual([
      { type: 'recurring.created', schedule: monthly, template },
      { type: 'occurrence.skipped', rule: RULE, date: '2025-02-28' },
      { type: 'recurring.stopped', rule: RULE, effectiveFrom: '2026-01-01' },
    ]);
  });

  it('save an occurrence as an edit of it, or from its date on as the rule, or stop it there', async () => {
    const w = writer();
    const moved = { ...data, date: '2025-03-02', amount: 90_000 };
    await saveOccurrence(w.session, occurrence, 'one', moved, null);
    await saveOccurrence(w.session, occurrence, 'following', moved, monthly);
    await saveOccurrence(w.session, occurrence, 'following', moved, null);
    const { date: _d, ...movedTemplate } = moved;
    expect(w.written).toEqual([
      { type: 'occurrence.edited', rule: RULE, date: '2025-02-28', data: moved },
      {
        type: 'recurring.updated',
        rule: RULE,
        effectiveFrom: '2025-02-28',
        schedule: monthly,
        template: movedTemplate,
      },
      { type: 'recurring.stopped', rule: RULE, effectiveFrom: '2025-02-28' },
    ]);
  });

  it('refuse to write before the group history has arrived', async () => {
    const w = writer(false);
    await expect(skipOccurrence(w.session, RULE, '2025-02-28')).rejects.toMatchObject({ code: 'not_member' });
    await expect(saveOccurrence(w.session, occurrence, 'following', data, null)).rejects.toMatchObject({
      code: 'not_member',
    });
    expect(w.written).toEqual([]);
  });
});
