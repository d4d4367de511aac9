import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packState, StateCodecError, unpackState } from './stateCodec';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

describe('packState / unpackState', () => {
  it('gives back what JSON would, for any JSON value', () => {
    fc.assert(
      // (A "__proto__" field is refused on purpose: see below.)
      fc.property(
        fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__"')),
        (value) => {
          expect(unpackState(packState(value))).toEqual(JSON.parse(JSON.stringify(value)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps strings that look like its own markers', () => {
    const value = ['¶0', '§0', '¤', '¶', `¶${'x'.repeat(40)}`, { '¶1': '§2' }];
    expect(unpackState(packState(value))).toEqual(value);
  });

  it('writes a repeated id once and keeps shared objects shared', () => {
    const data = { description: 'Rent', payers: [{ member: ID_A, amount: 100 }], split: [ID_A, ID_B] };
    const expenses = Array.from({ length: 50 }, (_, i) => ({
      id: `${i}`.padStart(64, '0'),
      createdBy: ID_A,
      data,
      versions: [{ author: ID_B, data }],
    }));
    const text = packState({ expenses });
    expect(text.split(ID_A).length - 1).toBe(1);
    expect(text.split(ID_B).length - 1).toBe(1);
    expect(text.split('Rent').length - 1).toBe(1);

    const back = unpackState(text) as { expenses: typeof expenses };
    expect(back).toEqual({ expenses });
    expect(back.expenses[0]!.versions[0]!.data).toBe(back.expenses[0]!.data);
    expect(back.expenses[49]!.data).toBe(back.expenses[0]!.data);
  });

  it('drops undefined fields like JSON', () => {
    expect(unpackState(packState({ a: 1, note: undefined }))).toEqual({ a: 1 });
    expect(Object.keys(unpackState(packState({ a: 1, note: undefined })) as object)).toEqual(['a']);
  });

  it('refuses values JSON cannot carry faithfully', () => {
    for (const bad of [
      new Map(),
      new Date(0),
      1n,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [undefined],
      { f: () => 1 },
      JSON.parse('{"__proto__": 1}'),
    ]) {
      expect(() => packState(bad), String(bad)).toThrow(StateCodecError);
    }
  });

  it('refuses text it did not write', () => {
    const good = packState({ id: ID_A, again: ID_A });
    for (const bad of [
      'not json',
      '{}',
      JSON.stringify({ f: 99, s: [], d: 1 }),
      good.replace('¶0', '¶7'),
      good.replace('¶0', '¶x'),
      JSON.stringify({ f: 1, s: [], d: ['§3'] }),
      '{"f":1,"s":[],"d":{"__proto__":1}}',
    ]) {
      expect(() => unpackState(bad), bad).toThrow(StateCodecError);
    }
  });
});
