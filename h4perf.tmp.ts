import { groupStatementCsv, memberStatementCsv } from './shared/statement/csv';
import type { GroupState, ExpenseState, PaymentState, MemberState } from './shared/ledger/types';
const hex = (n: number, p: string) => (p + n.toString(16)).padStart(64, '0');
const members: MemberState[] = Array.from({ length: 8 }, (_, i) => ({ id: hex(i + 1, 'aa'), name: `Member ${i}`, joinedBy: hex(i, 'f'), joinedAt: i }));
const ids = members.map((m) => m.id);
const expenses: ExpenseState[] = [];
const payments: PaymentState[] = [];
for (let i = 0; i < 100_000; i++) {
  const date = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  if (i % 10 === 9) {
    payments.push({ id: hex(i, 'b'), author: ids[i % 8]!, from: ids[i % 8]!, to: ids[(i + 1) % 8]!, amount: 100 + i, currency: 'CNY', date, deleted: false, lamport: i, time: i });
    continue;
  }
  const amount = 1000 + i;
  const split = i % 3 === 0 ? { mode: 'equal' as const, members: ids.slice(0, 2 + (i % 6)) } : i % 3 === 1 ? { mode: 'shares' as const, weights: Object.fromEntries(ids.slice(0, 4).map((m, k) => [m, k + 1])) } : { mode: 'percent' as const, basisPoints: { [ids[0]!]: 3333, [ids[1]!]: 3333, [ids[2]!]: 3334 } };
  const data = { description: `Item ${i}, "quoted"`, category: 'general', currency: i % 5 === 0 ? 'JPY' : 'CNY', amount, date, payers: [{ member: ids[i % 8]!, amount }], split };
  expenses.push({ id: hex(i, 'c'), createdBy: ids[i % 8]!, data, deleted: false, head: hex(i, 'c'), versions: [{ entryId: hex(i, 'c'), author: ids[i % 8]!, lamport: i, time: i, base: null, data }] });
}
const state: GroupState = { groupId: '0'.repeat(32), name: 'g', currency: 'CNY', createdBy: ids[0]!, members, expenses, payments, requests: [], chat: [], rates: [], conflicts: [], ignored: [], entryCount: 0, maxLamport: 0 };
import { expenseShares } from './shared/ledger/fold-shares';
for (const e of expenses) expenseShares(e.data); // what fold does
for (let k = 0; k < 2; k++) {
  const s = { ...state };
  const c = process.cpuUsage(); const t = performance.now();
  const csv = groupStatementCsv(s);
  const g = performance.now() - t; const gc = process.cpuUsage(c);
  const c2 = process.cpuUsage(); const t2 = performance.now();
  const m = memberStatementCsv(s, ids[0]!);
  const mm = performance.now() - t2; const mc = process.cpuUsage(c2);
  console.log(`group ${g.toFixed(0)} ms wall / ${((gc.user + gc.system) / 1000).toFixed(0)} cpu (${(csv.length / 1e6).toFixed(1)} MB); member ${mm.toFixed(0)} wall / ${((mc.user + mc.system) / 1000).toFixed(0)} cpu`);
}
