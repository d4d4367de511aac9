import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute } from './route';

const G = '0123456789abcdef0123456789abcdef';
const R = 'ab'.repeat(32);

describe('the route of one occurrence of a recurring expense', () => {
  it('round-trips through its href', () => {
    const route = { name: 'occurrence-edit' as const, groupId: G, rule: R, date: '2025-02-28' };
    expect(hrefFor(route)).toBe(`#/g/${G}/expenses/${R}/2025-02-28`);
    expect(parseRoute(hrefFor(route))).toEqual(route);
  });

  it('needs a rule id and a date', () => {
    expect(parseRoute(`#/g/${G}/expenses/${R}/28-02-2025`)).toEqual({ name: 'not-found' });
    expect(parseRoute(`#/g/${G}/expenses/abc/2025-02-28`)).toEqual({ name: 'not-found' });
    expect(parseRoute(`#/g/${G}/chat/${R}/2025-02-28`)).toEqual({ name: 'not-found' });
  });
});
