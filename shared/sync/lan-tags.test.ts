import { describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import { randomServiceId } from './lan-discovery';
import { groupsTagged, lanTag, lanTagKey, MAX_TAGS, tagsFromTxt, tagsToTxt } from './lan-tags';

describe('LAN membership tags', () => {
  it('match only the group whose key made them, only under the same service id', () => {
    const keyA = lanTagKey(generateGroupKey());
    const keyB = lanTagKey(generateGroupKey());
    const service = randomServiceId();
    const tag = lanTag(keyA, service);
    expect(tag).toMatch(/^[0-9a-f]{12}$/);
    expect(lanTag(keyA, service)).toBe(tag);
    expect(lanTag(keyA, randomServiceId())).not.toBe(tag);
    const groups = new Map([
      ['a', keyA],
      ['b', keyB],
    ]);
    expect(groupsTagged(groups, service, [tag])).toEqual(['a']);
    expect(groupsTagged(groups, randomServiceId(), [tag])).toEqual([]);
    expect(groupsTagged(groups, service, [])).toEqual([]);
  });

  it('the tag key is not the relay token nor the group key', () => {
    const groupKey = generateGroupKey();
    const tagKey = lanTagKey(groupKey);
    expect(tagKey).toMatch(/^[0-9a-f]{64}$/);
    expect(tagKey).not.toBe(Buffer.from(groupKey).toString('hex'));
  });

  it('round-trip through TXT strings of at most 255 bytes, capped at MAX_TAGS', () => {
    const service = randomServiceId();
    const tags = Array.from({ length: MAX_TAGS + 5 }, () => lanTag(lanTagKey(generateGroupKey()), service));
    const txt = tagsToTxt(tags);
    for (const [k, v] of Object.entries(txt)) expect(`${k}=${v}`.length).toBeLessThanOrEqual(255);
    expect(tagsFromTxt(txt)).toEqual(tags.slice(0, MAX_TAGS));
    expect(tagsFromTxt(tagsToTxt([]))).toEqual([]);
  });

  it("ignores whatever malformed a stranger's announcement carries", () => {
    expect(tagsFromTxt(null)).toEqual([]);
    expect(tagsFromTxt('t0=abc')).toEqual([]);
    expect(tagsFromTxt({ t0: 'ZZZZZZZZZZZZ,0123456789ab,0123', t1: 42, t9: '0123456789ab' })).toEqual([
      '0123456789ab',
    ]);
    expect(tagsFromTxt({ t0: new TextEncoder().encode('abcdefabcdef') })).toEqual(['abcdefabcdef']);
    expect(tagsFromTxt({ t0: ','.repeat(10_000) })).toEqual([]);
  });
});
