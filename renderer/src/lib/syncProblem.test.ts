import { describe, expect, it } from 'vitest';
import type { SyncProblem, SyncProblemCode } from '../../../shared/sync/sync-snapshot';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { syncErrorText, syncView } from '../services/syncView';
import { describeProblem, firstProblem, PROBLEM_CODES } from './syncProblem';

const ctx = { clock: (ms: number) => `@${ms}`, relay: 'wss://relay.example' };

type Tree = { [k: string]: string | Tree };
function has(tree: Tree, path: string): boolean {
  let node: string | Tree | undefined = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object') return false;
    node = node[part];
  }
  // A plural family ({key}_one / {key}_other) counts as the key.
  return node !== undefined;
}
const hasText = (tree: Tree, key: string) => has(tree, key) || has(tree, `${key}_other`);

describe('describeProblem', () => {
  it('has words (short, title, hint) for every code in both languages', () => {
    for (const code of PROBLEM_CODES) {
      const text = describeProblem({ code, message: 'm' }, ctx);
      for (const key of [text.shortKey, text.titleKey, text.hintKey]) {
        expect(hasText(en as Tree, key), `en ${key}`).toBe(true);
        expect(hasText(zhCN as Tree, key), `zh-CN ${key}`).toBe(true);
      }
    }
  });

  it('a wrong invite key: no retrying look, and the way out is removing the copy', () => {
    const text = describeProblem({ code: 'invite_key_mismatch', message: 'x' }, ctx);
    expect(text.retrying).toBe(false);
    expect(text.actions).toEqual(['remove']);
    expect(text.titleKey).toBe('sync.problems.invite_key_mismatch.title');
    expect((en as Tree & { sync: { problems: Tree } }).sync.problems.invite_key_mismatch).toMatchObject({
      title: "This invite's key does not match the group",
    });
  });

  it('relay busy, room full and quota carry the next try as a clock time', () => {
    for (const code of ['relay_busy', 'room_full', 'author_quota'] as const) {
      const text = describeProblem({ code, message: 'x', retryAt: 1234 }, ctx);
      expect(text.values.time).toBe('@1234');
      expect(text.retrying).toBe(true);
      expect(text.actions).toEqual([]);
    }
    expect((en as Tree & { sync: { problems: { relay_busy: Tree } } }).sync.problems.relay_busy.title).toBe(
      'The relay is busy — next try at {{time}}',
    );
  });

  it('no such group offers removal; an incomplete history offers a restore and counts', () => {
    expect(describeProblem({ code: 'relay_has_no_group', message: 'x' }, ctx)).toMatchObject({
      retrying: false,
      actions: ['remove'],
      values: { relay: 'wss://relay.example' },
    });
    expect(describeProblem({ code: 'history_incomplete', message: 'x', count: 3 }, ctx)).toMatchObject({
      actions: ['restore'],
      values: { count: 3 },
    });
  });

  it('reads a code it does not know as a refusal with the core’s words', () => {
    const text = describeProblem({ code: 'something_new' as SyncProblemCode, message: 'odd' }, ctx);
    expect(text.code).toBe('refused');
    expect(text.values.message).toBe('odd');
  });

  it('firstProblem picks the first group that has one', () => {
    const p: SyncProblem = { code: 'unreachable', message: 'x' };
    expect(firstProblem([undefined, p, { code: 'relay_busy', message: 'y' }])).toBe(p);
    expect(firstProblem([undefined])).toBeUndefined();
  });
});

describe('syncView / syncErrorText', () => {
  const base = {
    status: 'offline' as const,
    unsent: 3,
    lastSyncedAt: 40,
    entries: 0,
    pending: 0,
    rejected: 1,
    forks: 1,
  };
  const counts = { phase: 'offline', pending: 0, rejected: 2, unsent: 3, lastSyncedAt: 40 };
  it('carries the problem, the changes waiting and the last sync to the screens', () => {
    const problem: SyncProblem = { code: 'relay_busy', message: 'busy', retryAt: 5 };
    expect(syncView({ ...base, problem })).toEqual({ ...counts, problem });
    expect(syncView(base)).toEqual(counts);
  });
  it('does not repeat the problem’s words as an error; other errors still show', () => {
    const problem: SyncProblem = { code: 'relay_busy', message: 'busy' };
    expect(syncErrorText({ ...base, lastError: 'busy', problem })).toBeNull();
    expect(syncErrorText({ ...base, lastError: 'Could not save entries: disk full', problem })).toBe(
      'Could not save entries: disk full',
    );
    expect(syncErrorText(base)).toBeNull();
  });
});
