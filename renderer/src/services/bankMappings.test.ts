import { describe, expect, it } from 'vitest';
import type { BankMapping } from '../../../shared/import/bank-csv';
import { rememberBankMapping, rememberedBankMapping } from './bankMappings';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

const mapping: BankMapping = {
  date: 0,
  description: 1,
  amount: 2,
  currency: 'EUR',
  dateFormat: 'DD.MM.YYYY',
  decimal: ',',
  spending: 'negative',
};

describe('bank mappings', () => {
  it('remembers a mapping per bank header and gives it back', () => {
    const s = memoryStorage();
    expect(rememberedBankMapping(s, 'a')).toBeUndefined();
    rememberBankMapping(s, 'a', mapping);
    rememberBankMapping(s, 'b', { ...mapping, decimal: '.' });
    expect(rememberedBankMapping(s, 'a')).toEqual(mapping);
    expect(rememberedBankMapping(s, 'b')?.decimal).toBe('.');
    rememberBankMapping(s, 'a', { ...mapping, amount: 4 });
    expect(rememberedBankMapping(s, 'a')?.amount).toBe(4);
  });

  it('keeps at most 20 banks, forgetting the least recent', () => {
    const s = memoryStorage();
    for (let i = 0; i < 25; i++) rememberBankMapping(s, `bank${i}`, mapping);
    expect(rememberedBankMapping(s, 'bank24')).toEqual(mapping);
    expect(rememberedBankMapping(s, 'bank5')).toEqual(mapping);
    expect(rememberedBankMapping(s, 'bank4')).toBeUndefined();
  });

  it('ignores stored junk and works without storage', () => {
    const s = memoryStorage();
    s.data.set('tally.bankMappings.v1', '{oops');
    expect(rememberedBankMapping(s, 'a')).toBeUndefined();
    s.data.set(
      'tally.bankMappings.v1',
      JSON.stringify([['a', { ...mapping, decimal: 'x' }], ['b', mapping], 7]),
    );
    expect(rememberedBankMapping(s, 'a')).toBeUndefined();
    expect(rememberedBankMapping(s, 'b')).toEqual(mapping);
    expect(() => rememberBankMapping(undefined, 'a', mapping)).not.toThrow();
    expect(rememberedBankMapping(undefined, 'a')).toBeUndefined();
  });
});
