/** GroupSync and recurring expenses: occurrences follow the device's date, which the app moves on. */
import { afterEach, describe, expect, it } from 'vitest';
import { stateHash } from '../ledger/state-hash';
import type { GroupState } from '../ledger/types';
import { MemoryNetwork } from './memory-network';
import { closeAll, newGroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const dates = (s: GroupState) => (s.occurrences ?? []).map((o) => o.date);

describe('GroupSync with recurring expenses', () => {
  it('derives occurrences up to the local date of its clock, and again when refreshDate sees a new day', async () => {
    // Local noon, so the local date is the one written whatever the machine's time zone.
    let clock = new Date(2025, 1, 27, 12).getTime();
    const now = () => clock;
    const network = new MemoryNetwork();
    const secrets = newGroupSecrets();
    const ann = await openReplica(secrets, 'Ann', { now });
    const bo = await openReplica(secrets, 'Bo', { now });
    open = [ann, bo];
    for (const r of open) r.sync.connect(network.transport);
    await ann.sync.append({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Ann' });
    await settle(network, open);
    await bo.sync.append({ type: 'member.joined', name: 'Bo' });
    await settle(network, open);
    const me = ann.sync.memberId;
    await ann.sync.append({
      type: 'recurring.created',
      schedule: { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 },
      template: {
        description: 'Rent',
        currency: 'CNY',
        amount: 300_000,
        payers: [{ member: me, amount: 300_000 }],
        split: { mode: 'equal', members: [me, bo.sync.memberId] },
      },
    });
    await settle(network, open);
    await tick();
    for (const r of open) expect(dates(r.sync.state)).toEqual(['2025-01-31']);

    const seen: GroupState[] = [];
    const off = bo.sync.onState((s) => seen.push(s));
    bo.sync.refreshDate(); // same day: nothing to do
    expect(seen).toHaveLength(0);

    clock = new Date(2025, 1, 28, 12).getTime();
    for (const r of open) r.sync.refreshDate();
    expect(seen).toHaveLength(1);
    for (const r of open) expect(dates(r.sync.state)).toEqual(['2025-01-31', '2025-02-28']);
    expect(stateHash(bo.sync.state)).toBe(stateHash(ann.sync.state));
    off();
  });
});
