/**
 * `npm run demo`: the core without any UI. Three roommates write a small signed ledger, a fresh
 * device verifies it, folds it and prints balances and the fewest transfers that settle everyone.
 */
import { generateGroupId, generateGroupKey } from '../shared/crypto/group-key';
import { generateIdentity, memberIdOf } from '../shared/crypto/identity';
import { createEntry, type WalletEventInput } from '../shared/ledger/envelope';
import { fold } from '../shared/ledger/fold';
import { GroupLog } from '../shared/ledger/group-log';
import type { EntryId } from '../shared/ledger/types';
import { formatAmount } from '../shared/money/format';
import { computeBalances } from '../shared/settle/balances';
import { planSettlement } from '../shared/settle/plan';

const groupId = generateGroupId();
const groupKey = generateGroupKey();
const people = ['Ann', 'Bo', 'Chen'].map((name) => {
  const identity = generateIdentity();
  return { name, identity, id: memberIdOf(identity.publicKey), seq: 0, prev: null as EntryId | null };
});
const [ann, bo, chen] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
let lamport = 0;
const bytes: Uint8Array[] = [];

async function write(who: typeof ann, event: WalletEventInput) {
  const created = await createEntry({
    identity: who.identity,
    groupId,
    groupKey,
    seq: ++who.seq,
    prev: who.prev,
    lamport: ++lamport,
    time: Date.now(),
    event,
  });
  who.prev = created.id;
  bytes.push(created.bytes);
}

const everyone = people.map((p) => p.id);
await write(ann, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Ann' });
await write(bo, { type: 'member.joined', name: 'Bo' });
await write(chen, { type: 'member.joined', name: 'Chen' });
await write(bo, {
  type: 'expense.created',
  expense: {
    description: 'Groceries',
    currency: 'CNY',
    amount: 18_240,
    date: '2026-11-20',
    payers: [{ member: bo.id, amount: 18_240 }],
    split: { mode: 'equal', members: everyone },
  },
});
await write(ann, {
  type: 'expense.created',
  expense: {
    description: 'Electricity',
    category: 'utilities',
    currency: 'CNY',
    amount: 30_000,
    date: '2026-11-15',
    payers: [{ member: ann.id, amount: 30_000 }],
    split: { mode: 'shares', weights: { [ann.id]: 1, [bo.id]: 1, [chen.id]: 2 } },
  },
});
await write(chen, {
  type: 'payment.recorded',
  from: chen.id,
  to: ann.id,
  amount: 5_000,
  currency: 'CNY',
  date: '2026-11-21',
});

// A fresh device receives the entries in reverse order and checks every one of them.
const log = new GroupLog({ groupId, groupKey });
const report = await log.ingest([...bytes].reverse());
console.log(`verified ${report.accepted.length} entries, rejected ${report.rejected.length}`);

const state = fold(groupId, log.canonicalEntries());
const nameOf = new Map(state.members.map((m) => [m.id, m.name]));
console.log(`\n${state.name} (${state.currency})`);
for (const [currency, perMember] of computeBalances(state)) {
  for (const [member, amount] of perMember) {
    console.log(`  ${nameOf.get(member)?.padEnd(6)} ${formatAmount(amount, currency, 'en-US')}`);
  }
  console.log('\nFewest transfers to settle up:');
  for (const t of planSettlement(perMember)) {
    console.log(
      `  ${nameOf.get(t.from)} pays ${nameOf.get(t.to)} ${formatAmount(t.amount, currency, 'en-US')}`,
    );
  }
}
