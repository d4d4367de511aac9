/**
 * Settlement planning: exact minimum for 20 members, and how many transfers ours needs vs the
 * greedy (largest creditor ↔ largest debtor) baseline on realistic groups.
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
    ];
  },
};
