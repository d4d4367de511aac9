/**
 * "A linked device never forks" (issue 12, §2): one person on two devices and a roommate write
 * offline at random, syncing now and then between random pairs; then every entry reaches fresh
 * replicas in random orders. No author forks, nothing is dropped or ignored, every replica folds
 * the same state, and balances are per person. The same run with the person's key copied onto
 * the second device (a restored backup, as before devices) does fork: the check can fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signDeviceCertificate } from '../crypto/device-cert';
import { type Identity, importSecretKey, memberIdOf } from '../crypto/identity';
import { computeBalances } from '../settle/balances';
import type { WalletEventInput } from './envelope';
import { fold } from './fold';
import { equalExpense, seededRandom } from './fold-testkit';
import { GroupLog } from './group-log';
import { stateHash } from './state-hash';
import { newGroup, type TestGroup } from './test-fixtures';

const alice = importSecretKey(new Uint8Array(32).fill(1));
const bo = importSecretKey(new Uint8Array(32).fill(2));
const laptop = importSecretKey(new Uint8Array(32).fill(11));
const A = memberIdOf(alice.publicKey);
const B = memberIdOf(bo.publicKey);

interface Replica {
  readonly signer: Identity;
  /** Whose expenses it writes (the person, for a device). */
  readonly person: string;
  readonly log: GroupLog;
}

interface Op {
  readonly writer: number;
  readonly amount: number;
  /** After writing, the writer syncs with this replica (−1: stays offline). */
  readonly syncWith: number;
}

const opArb = fc.record({
  writer: fc.integer({ min: 0, max: 2 }),
  amount: fc.integer({ min: 1, max: 100_000 }),
  syncWith: fc.oneof(fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 2 })),
});

const allBytes = (logs: readonly GroupLog[]): Uint8Array[] => {
  const seen = new Map<string, Uint8Array>();
  for (const log of logs) for (const e of log.entries()) seen.set(e.id, e.bytes);
  return [...seen.values()];
};

async function syncPair(a: GroupLog, b: GroupLog): Promise<void> {
  const bytes = allBytes([a, b]);
  await a.ingest(bytes);
  await b.ingest(bytes);
}

/** Alice's desktop (her own key), her second device, Bo; all set up and in sync. */
async function setUp(g: TestGroup, secondSigner: Identity, link: boolean): Promise<Replica[]> {
  const opts = { groupId: g.groupId, groupKey: g.groupKey };
  const reps: Replica[] = [
    { signer: alice, person: A, log: new GroupLog(opts) },
    { signer: secondSigner, person: A, log: new GroupLog(opts) },
    { signer: bo, person: B, log: new GroupLog(opts) },
  ];
  const [desk, second, boRep] = reps as [Replica, Replica, Replica];
  await desk.log.append(alice, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Alice' });
  await syncPair(desk.log, boRep.log);
  await boRep.log.append(bo, { type: 'member.joined', name: 'Bo' });
  await syncPair(desk.log, boRep.log);
  await syncPair(desk.log, second.log);
  if (link) {
    const cert = signDeviceCertificate(alice, memberIdOf(laptop.publicKey), 1_767_225_600_000, 'Laptop 2');
    await second.log.append(laptop, { type: 'device.linked', ...cert });
  }
  await syncPair(second.log, desk.log);
  await syncPair(desk.log, boRep.log);
  return reps;
}

async function run(ops: readonly Op[], secondSigner: Identity, link: boolean) {
  const g = newGroup();
  const reps = await setUp(g, secondSigner, link);
  const paid = new Map<string, number>([
    [A, 0],
    [B, 0],
  ]);
  let time = 1_767_300_000_000;
  for (const op of ops) {
    const r = reps[op.writer]!;
    const event: WalletEventInput = {
      type: 'expense.created',
      expense: equalExpense(r.person, [A, B], op.amount * 2),
    };
    await r.log.append(r.signer, event, time++);
    paid.set(r.person, paid.get(r.person)! + op.amount);
    if (op.syncWith >= 0 && op.syncWith !== op.writer) await syncPair(r.log, reps[op.syncWith]!.log);
  }
  return { g, bytes: allBytes(reps.map((r) => r.log)), paid, setUpEntries: link ? 3 : 2 };
}

/** A fresh replica that receives `bytes` in a seeded random order, in random batches. */
async function replay(g: TestGroup, bytes: readonly Uint8Array[], seed: number): Promise<GroupLog> {
  const rnd = seededRandom(seed);
  const order = bytes.map((b) => ({ b, k: rnd() })).sort((x, y) => x.k - y.k);
  const log = new GroupLog({ groupId: g.groupId, groupKey: g.groupKey });
  for (let i = 0; i < order.length; ) {
    const n = 1 + Math.floor(rnd() * 5);
    await log.ingest(order.slice(i, i + n).map((o) => o.b));
    i += n;
  }
  return log;
}

describe('a linked device never forks', () => {
  it('converges with every entry counted, per person, whatever the arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 24 }), fc.integer(), async (ops, seed) => {
        const { g, bytes, paid } = await run(ops, laptop, true);
        const hashes = new Set<string>();
        for (const s of [seed, seed + 1, seed + 2]) {
          const log = await replay(g, bytes, s);
          expect(log.forks()).toEqual([]);
          expect(log.pendingCount).toBe(0);
          expect(log.canonicalEntries()).toHaveLength(bytes.length);
          const state = fold(g.groupId, log.canonicalEntries());
          expect(state.ignored).toEqual([]);
          expect(state.expenses).toHaveLength(ops.length);
          expect(state.members.map((m) => m.id).sort()).toEqual([A, B].sort());
          // Everyone paid 2·amount split in two: their balance is what they paid minus half of all.
          const total = paid.get(A)! + paid.get(B)!;
          const balances = computeBalances(state).get('CNY')!;
          expect(balances.get(A)).toBe(2 * paid.get(A)! - total);
          expect(balances.get(B)).toBe(2 * paid.get(B)! - total);
          hashes.add(stateHash(state));
        }
        expect(hashes.size).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  it('whereas the same key on two devices (a restore before devices existed) forks and drops entries', async () => {
    const ops: Op[] = [
      { writer: 0, amount: 100, syncWith: -1 },
      { writer: 1, amount: 200, syncWith: -1 },
      { writer: 1, amount: 300, syncWith: -1 },
    ];
    const { g, bytes } = await run(ops, alice, false);
    const log = await replay(g, bytes, 1);
    expect(log.forks()).toHaveLength(1);
    expect(fold(g.groupId, log.canonicalEntries()).expenses.length).toBeLessThan(3);
  });
});
