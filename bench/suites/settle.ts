/**
 * Settlement planning: exact minimum for 20 members, how many transfers ours needs vs the greedy
 * (largest creditor ↔ largest debtor) baseline on realistic groups, and, beyond 20 members, vs the
 * plan that settles each zero-sum cluster on its own (n − clusters transfers).
 */
import type { MemberId } from '../../shared/money/types';
import { splitAmount } from '../../shared/money/split';
import { planSettlement, planSettlementGreedy } from '../../shared/settle/plan';
import { atMost, type BenchSuite, bestOf, round } from '../harness';
import { seeded } from '../fixtures';

const memberName = (i: number): MemberId => i.toString(16).padStart(64, '0');

/**
 * Balances of a group after `expenses` equal-split expenses. With `clustered`, members form
 * sub-groups (couples, a trip, a shared car) that mostly split among themselves.
 */
export function randomGroupBalances(
  rand: () => number,
  size: number,
  clustered: boolean,
): Map<MemberId, number> {
  const members = Array.from({ length: size }, (_, i) => memberName(i));
  const clusters: MemberId[][] = [];
  if (clustered) {
    let i = 0;
    while (i < size) {
      const k = Math.min(size - i, 2 + Math.floor(rand() * 3));
      clusters.push(members.slice(i, i + k));
      i += k;
    }
  }
  const balance = new Map<MemberId, number>(members.map((m) => [m, 0]));
  const expenses = 10 + Math.floor(rand() * 20);
  for (let e = 0; e < expenses; e++) {
    let pool = members;
    if (clustered && rand() < 0.97) pool = clusters[Math.floor(rand() * clusters.length)] as MemberId[];
    const participants = pool.filter(() => rand() < 0.8);
    if (participants.length < 2) continue;
    const payer = participants[Math.floor(rand() * participants.length)] as MemberId;
    // Real bills are often round (a 30.00 dinner, a 12.00 ticket), which is what makes sub-groups even out.
    const amount = 100 * (1 + Math.floor(rand() * 60));
    const shares = splitAmount(amount, { mode: 'equal', members: participants });
    if (!shares.ok) throw shares.error;
    balance.set(payer, (balance.get(payer) ?? 0) + amount);
    for (const [m, s] of Object.entries(shares.value)) balance.set(m, (balance.get(m) ?? 0) - s);
  }
  return balance;
}

/** A member id drawn from `rand`, so that id order says nothing about who is in which cluster. */
const randomMemberId = (rand: () => number): MemberId =>
  Array.from({ length: 8 }, () =>
    Math.floor(rand() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');

export interface ClusteredGroup {
  readonly balances: Map<MemberId, number>;
  /** n − clusters: what settling each cluster on its own takes, a plan anyone can find. */
  readonly easyTransfers: number;
}

/**
 * `size` members, all with a non-zero balance, in clusters of 2–5 (flatmates, a car pool) whose
 * expenses stay inside the cluster, so each cluster sums to zero. Bills are round amounts split
 * equally, as in real groups, so equal and opposite amounts recur across clusters: zero-sum subsets
 * that cut across clusters are common, which is what makes picking the right ones matter.
 */
export function clusteredZeroSumGroup(rand: () => number, size: number): ClusteredGroup {
  const balances = new Map<MemberId, number>();
  let clusters = 0;
  for (let left = size; left > 0; ) {
    let k = Math.min(left, 2 + Math.floor(rand() * 4));
    if (left - k === 1) k = k === 5 ? 4 : k + 1; // never leave a cluster of one
    left -= k;
    clusters++;
    const members = Array.from({ length: k }, () => randomMemberId(rand));
    const cluster = new Map<MemberId, number>(members.map((m) => [m, 0]));
    const expense = (payer: MemberId, participants: MemberId[]) => {
      const amount = 100 * (1 + Math.floor(rand() * 60));
      const shares = splitAmount(amount, { mode: 'equal', members: participants });
      if (!shares.ok) throw shares.error;
      cluster.set(payer, cluster.get(payer)! + amount);
      for (const [m, v] of Object.entries(shares.value)) cluster.set(m, cluster.get(m)! - v);
    };
    for (let e = 2 + Math.floor(rand() * 5); e > 0; e--) {
      const participants = members.filter(() => rand() < 0.8);
      if (participants.length >= 2)
        expense(participants[Math.floor(rand() * participants.length)]!, participants);
    }
    // Whoever is even pays one more bill for everyone (which can even out someone else: repeat).
    for (
      let zero = members.find((m) => cluster.get(m) === 0);
      zero;
      zero = members.find((m) => cluster.get(m) === 0)
    ) {
      expense(zero, members);
    }
    for (const [m, v] of cluster) balances.set(m, v);
  }
  return { balances, easyTransfers: size - clusters };
}

export const settleSuite: BenchSuite = {
  name: 'settle',
  async run({ quick }) {
    // 20 members with non-zero balances and no zero-sum sub-groups: the DP's worst case.
    const rand = seeded(20);
    const twenty = new Map<MemberId, number>();
    let sum = 0;
    for (let i = 0; i < 19; i++) {
      const v = (1 + Math.floor(rand() * 100_000)) * (i % 2 === 0 ? 1 : -1);
      twenty.set(memberName(i), v);
      sum += v;
    }
    twenty.set(memberName(19), sum === 0 ? 1 : -sum);
    const exactMs = await bestOf(quick ? 1 : 5, () => planSettlement(twenty));
    const greedyMs = await bestOf(quick ? 1 : 5, () => planSettlementGreedy(twenty));

    const groups = quick ? 50 : 1_000;
    const r = seeded(42);
    let ours = 0;
    let greedy = 0;
    for (let g = 0; g < groups; g++) {
      const balances = randomGroupBalances(r, 6 + Math.floor(r() * 7), g % 2 === 0);
      ours += planSettlement(balances).length;
      greedy += planSettlementGreedy(balances).length;
    }
    const ratio = ours / greedy;

    // Beyond the exact limit: groups of 21–60 made of zero-sum clusters of 2–5.
    const large = quick ? 20 : 300;
    const rl = seeded(2160);
    let oursLarge = 0;
    let greedyLarge = 0;
    let easyLarge = 0;
    let atEasy = 0;
    for (let g = 0; g < large; g++) {
      const { balances, easyTransfers } = clusteredZeroSumGroup(rl, 21 + Math.floor(rl() * 40));
      const n = planSettlement(balances).length;
      oursLarge += n;
      greedyLarge += planSettlementGreedy(balances).length;
      easyLarge += easyTransfers;
      if (n <= easyTransfers) atEasy++;
    }
    const largeRatio = oursLarge / easyLarge;
    const greedyLargeRatio = greedyLarge / easyLarge;

    // Time: the slowest of several clustered groups (each best of a few runs), greedy beside it.
    const timeGroups = async (size: number, count: number, seed: number) => {
      const rt = seeded(seed);
      let oursMs = 0;
      let greedyMs = 0;
      for (let g = 0; g < count; g++) {
        const { balances } = clusteredZeroSumGroup(rt, size);
        oursMs = Math.max(oursMs, await bestOf(quick ? 1 : 3, () => planSettlement(balances)));
        greedyMs = Math.max(greedyMs, await bestOf(quick ? 1 : 3, () => planSettlementGreedy(balances)));
      }
      return { oursMs, greedyMs };
    };
    const t60 = await timeGroups(60, quick ? 2 : 20, 60);
    const t200 = await timeGroups(200, quick ? 1 : 5, 200);

    return [
      {
        name: 'settle.exact20.ms',
        value: round(exactMs),
        unit: 'ms',
        baseline: { name: 'settle.greedy20.ms', value: round(greedyMs, 3), unit: 'ms' },
        ...atMost(exactMs, 200),
      },
      {
        name: 'settle.transfers_ratio',
        value: round(ratio, 3),
        unit: 'ours/greedy',
        baseline: { name: 'settle.greedy.mean_transfers', value: round(greedy / groups), unit: 'transfers' },
        ...atMost(ratio, 1),
        note: `mean transfers ours ${round(ours / groups)} vs greedy ${round(greedy / groups)} over ${groups} groups`,
      },
      {
        name: 'settle.large.ratio',
        value: round(largeRatio, 4),
        unit: 'ours/(n − clusters)',
        baseline: {
          name: 'settle.large.greedy_ratio',
          value: round(greedyLargeRatio, 4),
          unit: 'greedy/(n − clusters)',
        },
        ...atMost(largeRatio, 1.02),
        note:
          `${large} groups of 21–60 in zero-sum clusters of 2–5: mean transfers ours ` +
          `${round(oursLarge / large)}, greedy ${round(greedyLarge / large)}, n − clusters ` +
          `${round(easyLarge / large)}; ours at or below n − clusters in ${atEasy} of ${large}`,
      },
      {
        name: 'settle.large60.ms',
        value: round(t60.oursMs),
        unit: 'ms',
        baseline: { name: 'settle.greedy60.ms', value: round(t60.greedyMs, 3), unit: 'ms' },
        ...atMost(t60.oursMs, 200),
        note: `slowest of ${quick ? 2 : 20} clustered groups of 60, each best of ${quick ? 1 : 3}`,
      },
      {
        name: 'settle.large200.ms',
        value: round(t200.oursMs),
        unit: 'ms',
        baseline: { name: 'settle.greedy200.ms', value: round(t200.greedyMs, 3), unit: 'ms' },
        ...atMost(t200.oursMs, 1000),
        note: `slowest of ${quick ? 1 : 5} clustered groups of 200, each best of ${quick ? 1 : 3}`,
      },
    ];
  },
};
