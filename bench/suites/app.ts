/**
 * Opening a big group in the real app: a browser profile holds a group with 10,000 signed
 * entries (written by four members over a year); we time a fresh tab from navigation until the
 * expense list and every member's balance are on screen, timed in the page from the navigation's
 * time origin (Node's view of the same, which adds Playwright's round trips, and a click on the
 * Balances tab are reported in the note). Baseline: the same for an empty group, measured in the
 * same browser in the same run.
 *
 * The entries reach IndexedDB the way a user's would: identity and groups are created through
 * the UI, the history is signed with the core and restored through Export → Restore from backup
 * (so the app verifies and stores every entry itself).
 */
import { exportBackup } from '../../shared/statement/backup';
import {
  createGroup,
  downloadBackup,
  firstRun,
  restoreBackup,
  type OpenTimes,
  startAppRig,
  timeOpenGroup,
} from '../app-browser';
import { extendHistory } from '../app-history';
import { atMost, type BenchSuite, round } from '../harness';

const AUTHORS = 3;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export const appSuite: BenchSuite = {
  name: 'app',
  async run({ quick }) {
    const total = quick ? 200 : 10_000;
    const runs = quick ? 1 : 5;
    const rig = await startAppRig();
    try {
      const context = await rig.browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
      });
      const setup = await context.newPage();
      await firstRun(setup, rig.url, 'Ann');
      const big = await createGroup(setup, rig.url, 'Flat 3B');
      const empty = await createGroup(setup, rig.url, 'Empty flat');

      const existing = await downloadBackup(setup, rig.url, big.groupId);
      const history = await extendHistory({ ...big, existing, total, authors: AUTHORS });
      const backup = exportBackup(big.groupId, [...existing, ...history.entries]);
      const seedStart = performance.now();
      const report = await restoreBackup(setup, rig.url, big.groupId, backup, quick ? 120_000 : 1_200_000);
      const seedMs = performance.now() - seedStart;
      await setup.close();

      const newPage = () => context.newPage();
      const bigTimes: OpenTimes[] = [];
      const emptyTimes: OpenTimes[] = [];
      // Alternate, so both see the same machine load.
      for (let i = 0; i < runs; i++) {
        bigTimes.push(
          await timeOpenGroup(newPage, rig.url, big.groupId, {
            expenses: history.expenses,
            members: history.members.length,
          }),
        );
        emptyTimes.push(await timeOpenGroup(newPage, rig.url, empty.groupId, { expenses: 0, members: 1 }));
      }
      const figures = (times: readonly OpenTimes[], key: keyof OpenTimes) => {
        const values = times.map((t) => t[key]);
        return { best: Math.min(...values), median: median(values) };
      };
      const open = figures(bigTimes, 'inPage');
      const bigNode = figures(bigTimes, 'node');
      const bigTab = figures(bigTimes, 'balancesTab');
      const emptyNode = figures(emptyTimes, 'node');
      return [
        {
          // Same name in quick mode (200 entries), like the other suites: quick figures only prove it runs.
          name: 'app.open10k.ms',
          value: round(open.best),
          unit: 'ms',
          baseline: {
            name: 'app.openEmpty.ms (same steps, empty group)',
            value: round(figures(emptyTimes, 'inPage').best),
            unit: 'ms',
          },
          ...atMost(open.best, 1_000),
          note:
            `${existing.length + history.entries.length} entries, ${history.expenses} expenses, ` +
            `${history.members.length} members; navigation to expense list and every member's balance ` +
            `on screen, in the page; best of ${runs} (median ${round(open.median)} ms). ` +
            `Seen from Node (page.goto until Playwright saw it): ${round(bigNode.best)} ms ` +
            `(median ${round(bigNode.median)}), empty group ${round(emptyNode.best)} ms. ` +
            `Then a click on the Balances tab to its full sheet: ${round(bigTab.best)} ms ` +
            `(median ${round(bigTab.median)}). ` +
            `Seeding by restore took ${round(seedMs / 1000, 1)} s (${report})`,
        },
      ];
    } finally {
      await rig.close();
    }
  },
};
