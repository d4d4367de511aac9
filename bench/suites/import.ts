/**
 * Importing a Splitwise export of 10,000 rows into a group (issue 13): parse and plan the file,
 * resolve people, sign every entry and write it through GroupSync.appendMany (the app's path,
 * renderer/src/services/importWriter.ts) into an in-memory store. Side by side in the same run:
 * signing the same events alone (createEntry ×10k, nothing else), the floor any import pays.
 * The run signs with node:crypto (bench/run.ts installs the Node primitives, as the headless
 * client does); `import.splitwise.webcrypto.10k.ms` repeats the import with WebCrypto signing,
 * the signer the renderer uses (docs/import.md gives the figures and Chromium's own).
 */
import { generateGroupId, generateGroupKey } from '../../shared/crypto/group-key';
import { generateIdentity } from '../../shared/crypto/identity';
import { resetSigner } from '../../shared/crypto/sign';
import { installNodeSigner } from '../../sync-server/node-sign';
import { planImport, resolvePlan } from '../../shared/import';
import { createEntry } from '../../shared/ledger/envelope';
import { GroupSync } from '../../shared/sync/group-sync';
import { MemoryStore } from '../../shared/sync/memory-store';
import { writeImportPlan } from '../../renderer/src/services/importWriter';
import { seeded } from '../fixtures';
import { atMost, type BenchSuite, round } from '../harness';

const PEOPLE = ['Ann', 'Bo', 'Cy'];
const DESCRIPTIONS = ['Groceries', 'Dinner', 'Electricity', 'Internet', 'Taxi', 'Rent', 'Coffee'];

/** A Splitwise export: each row's owed shares sum to zero, the payer's line holds the rest. */
function splitwiseCsv(rows: number): string {
  const rand = seeded(13);
  const lines = [`Date,Description,Category,Cost,Currency,${PEOPLE.join(',')}`];
  for (let i = 0; i < rows; i++) {
    const cents = 300 + Math.floor(rand() * 30_000);
    const payer = Math.floor(rand() * PEOPLE.length);
    // Equal thirds, rounding remainder to the first others.
    const base = Math.floor(cents / 3);
    const shares = [base, base, base];
    for (let r = 0; r < cents - 3 * base; r++) shares[r]! += 1;
    const nets = shares.map((s, p) => (p === payer ? cents - s : -s));
    const money = (c: number) =>
      `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
    const day = 1 + (i % 28);
    const desc = DESCRIPTIONS[i % DESCRIPTIONS.length]!;
    lines.push(
      `2025-03-${String(day).padStart(2, '0')},${desc} ${i},General,${money(cents)},USD,${nets.map(money).join(',')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function runImport(text: string): Promise<{ ms: number; written: number }> {
  const identity = generateIdentity();
  const groupId = generateGroupId();
  const groupKey = generateGroupKey();
  const sync = await GroupSync.open({
    groupId,
    groupKey,
    identity,
    store: new MemoryStore(),
    scheduleDocLoad: (l) => l(),
  });
  try {
    await sync.append({ type: 'group.created', name: 'Trip', currency: 'USD', memberName: 'Ann' });
    await sync.whenIdle();
    const t0 = performance.now();
    const planned = planImport(text);
    if (!planned.ok) throw new Error(`the bench file does not plan: ${planned.error.message}`);
    const plan = planned.value;
    const people = Object.fromEntries(
      plan.people.map((p) => [p.key, p.name === 'Ann' ? { member: sync.memberId } : { newName: p.name }]),
    );
    const report = await writeImportPlan(
      { groupId, groupKey, sync, now: Date.now },
      plan,
      { people },
      () => {},
    );
    const ms = performance.now() - t0;
    if (sync.state.expenses.length !== report.created)
      throw new Error('the import did not fold every expense');
    return { ms, written: report.created };
  } finally {
    await sync.close();
  }
}

/** The floor: signing the same events as one member, nothing else. */
async function signOnly(text: string): Promise<number> {
  const planned = planImport(text);
  if (!planned.ok) throw new Error('the bench file does not plan');
  const identity = generateIdentity();
  const groupId = generateGroupId();
  const groupKey = generateGroupKey();
  const people = Object.fromEntries(planned.value.people.map((p) => [p.key, { newName: p.name }]));
  const ids = Object.fromEntries(
    planned.value.people.map((p, i) => [p.key, String(i + 1).padStart(64, '0')]),
  );
  const resolved = resolvePlan(planned.value, { people }, ids, new Set());
  if (!resolved.ok) throw new Error('the bench file does not resolve');
  const t0 = performance.now();
  let prev: string | null = null;
  let seq = 1;
  for (const event of resolved.value.events) {
    const e = await createEntry({ identity, groupId, groupKey, seq, prev, lamport: seq, time: 0, event });
    prev = e.id;
    seq++;
  }
  return performance.now() - t0;
}

export const importSuite: BenchSuite = {
  name: 'import',
  async run({ quick }) {
    const rows = quick ? 500 : 10_000;
    const text = splitwiseCsv(rows);
    const floor = await signOnly(text);
    const ours = await runImport(text);
    if (ours.written !== rows) throw new Error(`wrote ${ours.written} of ${rows} rows`);
    const value = round(ours.ms, 0);
    resetSigner();
    let portable: { ms: number; written: number };
    try {
      portable = await runImport(text);
    } finally {
      installNodeSigner();
    }
    return [
      {
        name: 'import.splitwise.10k.ms',
        value,
        unit: 'ms',
        baseline: { name: 'import.sign_only.10k.ms', value: round(floor, 0), unit: 'ms' },
        ...atMost(value, quick ? Number.POSITIVE_INFINITY : 2_000),
        note: `${rows} Splitwise rows: parse, plan, resolve, sign (node:crypto), store (one write per 500), fold; in memory`,
      },
      {
        name: 'import.splitwise.webcrypto.10k.ms',
        value: round(portable.ms, 0),
        unit: 'ms',
        baseline: { name: 'import.splitwise.10k.ms', value, unit: 'ms' },
        note: 'the same import signed through WebCrypto (awaited per entry), as the renderer signs',
      },
    ];
  },
};
