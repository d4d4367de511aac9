import { describe, expect, it } from 'vitest';
import { likelyLanguages, warmUpLocales } from './warmUp';

const storage = (value: string | null) => ({ getItem: () => value });

describe('likelyLanguages', () => {
  it('prefers the saved UI language, else the browser’s first', () => {
    expect(likelyLanguages(storage(JSON.stringify({ language: 'zh-CN', theme: 'dark' })), ['en-US'])).toEqual(
      ['zh-CN'],
    );
    expect(likelyLanguages(storage(null), ['de-DE', 'en'])).toEqual(['de-DE']);
    expect(likelyLanguages(storage('{not json'), ['en-GB'])).toEqual(['en-GB']);
    expect(likelyLanguages(storage(JSON.stringify({ language: 7 })), [])).toEqual([]);
    expect(likelyLanguages(undefined, ['fr'])).toEqual(['fr']);
  });

  it('warming up never throws, even for a tag Intl refuses', () => {
    expect(() => warmUpLocales(['en', 'zh-CN', 'not a locale!'])).not.toThrow();
  });
});
