import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, type Route } from './route';

const g = '0123456789abcdef0123456789abcdef';
const e = 'ab'.repeat(32);

describe('routes', () => {
  it('round-trips every route through its href', () => {
    const routes: Route[] = [
      { name: 'groups' },
      { name: 'new-group' },
      { name: 'join', query: 'relay=wss%3A%2F%2Fr&group=x' },
      { name: 'settings' },
      { name: 'link-device', link: `tally://link?relay=wss%3A%2F%2Fr&expires=1#secret=${e}` },
      { name: 'group', groupId: g, tab: 'balances' },
      { name: 'group', groupId: g, tab: 'reconcile' },
      { name: 'expense-new', groupId: g },
      { name: 'expense-view', groupId: g, expenseId: e },
      { name: 'expense-edit', groupId: g, expenseId: e },
    ];
    for (const r of routes) expect(parseRoute(hrefFor(r))).toEqual(r);
  });

  it('defaults a group to its expenses', () => {
    expect(parseRoute(`#/g/${g}`)).toEqual({ name: 'group', groupId: g, tab: 'expenses' });
    expect(parseRoute('')).toEqual({ name: 'groups' });
  });

  it('refuses malformed ids and unknown tabs', () => {
    expect(parseRoute('#/g/xyz/expenses').name).toBe('not-found');
    expect(parseRoute(`#/g/${g}/wallet`).name).toBe('not-found');
    expect(parseRoute(`#/g/${g}/expenses/123`).name).toBe('not-found');
    expect(parseRoute(`#/g/${g}/expenses/${e}/delete`).name).toBe('not-found');
    expect(parseRoute(`#/g/${g}/expenses/${e}`).name).toBe('expense-view');
    expect(parseRoute('#/nope').name).toBe('not-found');
  });
});
