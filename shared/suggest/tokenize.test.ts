import { describe, expect, it } from 'vitest';
import { regexWords, segmenterWords, tokenize, tokenSet, tokenSetOf, tokensOf } from './tokenize';

describe('tokenize (English and other spaced scripts)', () => {
  it('lower-cases words and drops numbers, punctuation and filler words', () => {
    expect(tokenize('Dinner at the Pizza Place, 2 pizzas 3.50!')).toEqual([
      'dinner',
      'pizza',
      'place',
      'pizza',
    ]);
  });

  it('folds a plural "s" but keeps short words and "-ss"', () => {
    expect(tokenize('Bills taxis gas bus glass')).toEqual(['bill', 'taxi', 'gas', 'bus', 'glass']);
  });

  it('keeps inner apostrophes and letters with diacritics, folding a possessive', () => {
    expect(tokenize("Trader Joe's café, rock'n'roll")).toEqual(['trader', 'joe', 'café', "rock'n'roll"]);
  });

  it('normalizes full-width letters (NFKC)', () => {
    expect(tokenize('ＫＴＶ night')).toEqual(['ktv', 'night']);
  });

  it('gives nothing for empty or number-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  12.50 / 2025-01-01 ')).toEqual([]);
  });
});

describe('tokenize (Chinese)', () => {
  it('turns a Han run into character bigrams', () => {
    expect(tokenize('超市买菜')).toEqual(['超市', '市买', '买菜']);
  });

  it('keeps a single Han character as itself', () => {
    expect(tokenize('菜')).toEqual(['菜']);
  });

  it('splits runs at punctuation, spaces and Latin text', () => {
    expect(tokenize('周末KTV唱歌，打车')).toEqual(['周末', 'ktv', '唱歌', '打车']);
    expect(tokenize('盒马 生鲜 Costco')).toEqual(['盒马', '生鲜', 'costco']);
  });

  it('does not depend on the platform segmenter for Han text', () => {
    // Same bigrams whichever word splitter handles the non-Han parts.
    const text = '和朋友去海底捞吃火锅 dinner';
    expect(tokenize(text, regexWords)).toEqual(tokenize(text, segmenterWords));
    expect(tokenize(text)).toContain('火锅');
  });
});

describe('word splitters', () => {
  const samples = [
    'Groceries at Aldi',
    "Trader Joe's — weekly shop",
    'Uber to airport (late) + tip',
    'Netflix/Spotify subscriptions',
    'Café crème & croissants',
    'Wi-Fi bill, March 2026',
    '超市 Walmart 买菜',
  ];
  it('Intl.Segmenter and the regular-expression fallback give the same tokens', () => {
    expect(typeof Intl.Segmenter).toBe('function');
    for (const s of samples) expect(tokenize(s, regexWords), s).toEqual(tokenize(s, segmenterWords));
  });
});

describe('tokenSet', () => {
  it('is distinct and sorted', () => {
    expect(tokenSet('pizza Pizza dinner 晚饭晚饭')).toEqual(['dinner', 'pizza', '晚饭', '饭晚'].sort());
  });
});

describe('tokensOf / tokenSetOf (remembered)', () => {
  it('give what tokenize / tokenSet give, frozen, and the same array on a repeat', () => {
    const text = 'Monthly rent 房租 rent';
    expect(tokensOf(text)).toEqual(tokenize(text));
    expect(tokenSetOf(text)).toEqual(tokenSet(text));
    expect(Object.isFrozen(tokensOf(text))).toBe(true);
    expect(tokensOf(text)).toBe(tokensOf(text));
  });
});
