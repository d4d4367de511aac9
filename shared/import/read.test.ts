import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateSchema } from '../ledger/events';
import { decodeImportFile, readDate, readDecimal } from './read';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeImportFile', () => {
  it('reads UTF-8 with and without a BOM, and UTF-16 with one', () => {
    expect(decodeImportFile(utf8('\uFEFFDate,王芳'))).toEqual({ ok: true, value: 'Date,王芳' });
    expect(decodeImportFile(utf8('Date,王芳'))).toEqual({ ok: true, value: 'Date,王芳' });
    const le = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x8b, 0x73]); // "A王" in UTF-16LE
    expect(decodeImportFile(le)).toEqual({ ok: true, value: 'A王' });
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x41]);
    expect(decodeImportFile(be)).toEqual({ ok: true, value: 'A' });
  });

  it('refuses legacy encodings and empty files instead of guessing', () => {
    const gbk = new Uint8Array([0x44, 0x2c, 0xcd, 0xf5, 0xb7, 0xbc]); // "D,王芳" in GBK
    expect(decodeImportFile(gbk)).toMatchObject({ ok: false, error: { code: 'import.encoding' } });
    const latin1 = new Uint8Array([0x43, 0x61, 0x66, 0xe9]); // "Café" in Windows-1252
    expect(decodeImportFile(latin1)).toMatchObject({ ok: false, error: { code: 'import.encoding' } });
    expect(decodeImportFile(new Uint8Array())).toMatchObject({ ok: false, error: { code: 'import.empty' } });
  });
});

describe('readDecimal', () => {
  it('reads amounts exactly in minor units', () => {
    expect(readDecimal('12.50', 'EUR')).toEqual({ ok: true, value: 1250 });
    expect(readDecimal('-0.01', 'USD')).toEqual({ ok: true, value: -1 });
    expect(readDecimal('1,234.5', 'USD')).toEqual({ ok: true, value: 123450 });
    expect(readDecimal('1.234,56', 'EUR', ',')).toEqual({ ok: true, value: 123456 });
    expect(readDecimal('(7.00)', 'EUR')).toEqual({ ok: true, value: -700 });
    expect(readDecimal('1000.00', 'JPY')).toEqual({ ok: true, value: 1000 });
    expect(readDecimal('1.250', 'KWD')).toEqual({ ok: true, value: 1250 });
    expect(readDecimal('0.1', 'USD')).toEqual({ ok: true, value: 10 });
  });

  it('refuses what would need rounding or guessing', () => {
    expect(readDecimal('1000.50', 'JPY')).toMatchObject({ ok: false, error: { code: 'too_many_decimals' } });
    expect(readDecimal('1.005', 'USD')).toMatchObject({ ok: false, error: { code: 'too_many_decimals' } });
    expect(readDecimal('12.3.4', 'EUR')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(readDecimal('1,23', 'EUR')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(readDecimal('abc', 'EUR')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(readDecimal('', 'EUR')).toMatchObject({ ok: false, error: { code: 'empty' } });
    expect(readDecimal('1e3', 'EUR')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(readDecimal('99999999999999999999', 'EUR')).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(readDecimal('1.00', 'ABC')).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('readDate', () => {
  it('reads the formats it is told, ignoring a time after the date', () => {
    expect(readDate('2025-03-01')).toBe('2025-03-01');
    expect(readDate('2024-05-03T00:00:00.000Z')).toBe('2024-05-03');
    expect(readDate('3/1/2025', 'MM/DD/YYYY')).toBe('2025-03-01');
    expect(readDate('3/1/2025', 'DD/MM/YYYY')).toBe('2025-01-03');
    expect(readDate('01.03.2025 10:15', 'DD.MM.YYYY')).toBe('2025-03-01');
  });

  it('refuses impossible dates and other formats', () => {
    expect(readDate('2025-04-31')).toBeUndefined();
    expect(readDate('2023-02-29')).toBeUndefined();
    expect(readDate('2024-02-29')).toBe('2024-02-29');
    expect(readDate('01/03/2025')).toBeUndefined();
    expect(readDate('')).toBeUndefined();
    expect(readDate('2025-13-01')).toBeUndefined();
    expect(readDate('2025-00-10')).toBeUndefined();
    expect(readDate('2025-01-00')).toBeUndefined();
    expect(readDate('0000-01-01')).toBeUndefined();
  });

  it('gives only dates the ledger accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.nat(99), fc.nat(99), (y, m, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const read = readDate(text);
        if (read !== undefined) expect(dateSchema.safeParse(read).success).toBe(true);
        const utc = new Date(Date.UTC(y, m - 1, d));
        const real = y >= 100 && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d;
        expect(read).toBe(real ? text : undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
