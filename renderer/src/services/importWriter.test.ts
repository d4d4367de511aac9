// The import writer against real GroupSyncs (memory stores, in-process network): new members
// join with keys of their own, entries reach another device, a second import writes nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planImport, suggestPeople } from '../../../shared/import';
import { memberIdOf } from '../../../shared/crypto/identity';
import { computeBalances } from '../../../shared/settle/balances';
import type { GroupState } from '../../../shared/ledger/types';
import { MemoryNetwork } from '../../../shared/sync/memory-network';
import { closeAll, createGroup, type Replica, settle } from '../../../shared/sync/sync-testkit';
import { type ImportTarget, writeImportEvents, writeImportPlan } from './importWriter';

const sample = readFileSync(new URL('../../../docs/samples/splitwise.csv', import.meta.url), 'utf8');

function plan() {
  const r = planImport(sample);
  if (!r.ok) throw r.error;
  return r.value;
}

const target = (r: Replica, groupId: string, groupKey: Uint8Array): ImportTarget => ({
  groupId,
  groupKey,
  sync: r.sync,
  now: () => 1_750_000_000_000,
});

/** Balances by member name in one currency. */
function byName(state: GroupState, currency: string): Record<string, number> {
  const b = computeBalances(state).get(currency);
  return Object.fromEntries(state.members.map((m) => [m.name, b?.get(m.id) ?? 0]));
}

describe('writeImportPlan', () => {
  it('adds new members, writes every item, and the other device sees the same balances', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Dee']);
    const [ann, dee] = replicas as [Replica, Replica];
    const p = plan();
    const people = suggestPeople(p.people, ann.sync.state.members);
    expect(people.Ann).toEqual({ member: memberIdOf(ann.identity.publicKey) });
    const progress: number[] = [];
    const report = await writeImportPlan(
      target(ann, secrets.groupId, secrets.groupKey),
      p,
      { people },
      (done) => progress.push(done),
    );
    expect(report).toEqual({ created: 7, skipped: 0, refused: 0, newMembers: 2 });
    expect(progress[progress.length - 1]).toBe(9);
    await settle(network, replicas);
    const expected = { Ann: -1500, Dee: 0, Bo: 4500, Cy: -3000 };
    for (const r of replicas) {
      expect(r.sync.state.ignored).toEqual([]);
      expect(byName(r.sync.state, 'USD')).toEqual(expected);
      expect(byName(r.sync.state, 'EUR')).toEqual({ Ann: 2400, Dee: 0, Bo: -1200, Cy: -1200 });
    }
    // Bo and Cy are members with keys of their own; only Ann's device wrote the expenses.
    const authors = new Set(dee.sync.entries().map((e) => e.header.author));
    expect(authors.size).toBe(4);

    // The same file again, from the other device: nothing new, nobody added.
    const again = await writeImportPlan(
      target(dee, secrets.groupId, secrets.groupKey),
      plan(),
      { people: suggestPeople(p.people, dee.sync.state.members) },
      () => undefined,
    );
    expect(again).toEqual({ created: 0, skipped: 7, refused: 0, newMembers: 0 });
    expect(dee.sync.state.members).toHaveLength(4);
    await closeAll(replicas);
  });

  it('writes nothing when a choice names someone who is not a member', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann']);
    const [ann] = replicas as [Replica];
    const before = ann.sync.entries().length;
    const p = plan();
    const people = { ...suggestPeople(p.people, ann.sync.state.members), Bo: { member: 'f'.repeat(64) } };
    await expect(
      writeImportPlan(target(ann, secrets.groupId, secrets.groupKey), p, { people }, () => undefined),
    ).rejects.toMatchObject({ code: 'import.unknown-member' });
    const clash = { ...people, Bo: { member: memberIdOf(ann.identity.publicKey) } };
    await expect(
      writeImportPlan(target(ann, secrets.groupId, secrets.groupKey), p, { people: clash }, () => undefined),
    ).rejects.toMatchObject({ code: 'import.same-member' });
    expect(ann.sync.entries()).toHaveLength(before);
    await closeAll(replicas);
  });
});

describe('writeImportEvents', () => {
  it('skips events whose importId the group already has', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann']);
    const [ann] = replicas as [Replica];
    const me = memberIdOf(ann.identity.publicKey);
    const event = {
      type: 'expense.created' as const,
      expense: {
        description: 'Bakery',
        category: 'groceries',
        currency: 'EUR',
        amount: 380,
        date: '2025-05-02',
        importId: 'a'.repeat(64),
        payers: [{ member: me, amount: 380 }],
        split: { mode: 'equal' as const, members: [me] },
      },
    };
    const t = target(ann, secrets.groupId, secrets.groupKey);
    expect(await writeImportEvents(t, [event], () => undefined)).toMatchObject({ created: 1, skipped: 0 });
    expect(await writeImportEvents(t, [event], () => undefined)).toMatchObject({ created: 0, skipped: 1 });
    expect(ann.sync.state.expenses).toHaveLength(1);
    await closeAll(replicas);
  });
});
