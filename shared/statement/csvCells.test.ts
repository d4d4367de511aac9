import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { escapeTextCell, UTF8_BOM, unescapeTextCell, writeCsv } from './csvCells';

describe('escapeTextCell', () => {
  it.each(['=1+2', '+1', '-2', '@SUM(A1)', '\tx', '\rx', "'quoted"])('disarms %j with a leading apostrophe', (t) => {
    expect(escapeTextCell(t)).toBe(`'${t}`);
    expect(unescapeTextCell(escapeTextCell(t))).toBe(t);
  });

  it.each(['Groceries', '超市', '', ' =not first', 'a=b', '1-2'])('leaves %j alone', (t) => {
    expect(escapeTextCell(t)).toBe(t);
    expect(unescapeTextCell(t)).toBe(t);
  });

  it('only removes an apostrophe that escaping would have added', () => {
    expect(unescapeTextCell("'hello")).toBe("'hello");
    expect(unescapeTextCell("''hello")).toBe("'hello");
  });
});

describe('writeCsv', () => {
  it('quotes quotes, commas and newlines (RFC 4180) and ends lines with CRLF', () => {
    const csv = writeCsv(['a', 'b'], [['say "hi"', 'x,y'], ['line1\nline2', 'plain']], false);
    expect(csv).toBe('a,b\r\n"say ""hi""","x,y"\r\n"line1\nline2",plain');
    expect(Papa.parse(csv).data).toEqual([
      ['a', 'b'],
      ['say "hi"', 'x,y'],
      ['line1\nline2', 'plain'],
    ]);
  });

  it('starts with a UTF-8 BOM only when asked', () => {
    expect(writeCsv(['a'], [['1']], true)).toBe(`${UTF8_BOM}a\r\n1`);
    expect(writeCsv(['a'], [['1']], false)).toBe('a\r\n1');
  });
});
