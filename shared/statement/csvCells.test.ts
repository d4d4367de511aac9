import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  csvCell,
  csvDocument,
  csvLine,
  escapeTextCell,
  textCell,
  UTF8_BOM,
  unescapeTextCell,
} from './csvCells';

describe('escapeTextCell', () => {
  it.each(['=1+2', '+1', '-2', '@SUM(A1)', '\tx', '\rx', "'quoted", "'"])(
    'disarms %j with a leading apostrophe',
    (t) => {
      expect(escapeTextCell(t)).toBe(`'${t}`);
      expect(unescapeTextCell(escapeTextCell(t))).toBe(t);
    },
  );

  it.each(['Groceries', '超市', '', ' =not first', 'a=b', '1-2'])('leaves %j alone', (t) => {
    expect(escapeTextCell(t)).toBe(t);
    expect(unescapeTextCell(t)).toBe(t);
  });

  it('only removes an apostrophe that escaping would have added', () => {
    expect(unescapeTextCell("'hello")).toBe("'hello");
    expect(unescapeTextCell("''hello")).toBe("'hello");
  });
});

describe('CSV serialisation', () => {
  it('quotes quotes, commas and newlines (RFC 4180) and ends records with CRLF', () => {
    const csv = csvDocument(
      [csvLine(['a', 'b'].map(csvCell)), csvLine(['say "hi"', 'x,y'].map(csvCell))],
      false,
    );
    expect(csv).toBe('a,b\r\n"say ""hi""","x,y"');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(textCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('starts with a UTF-8 BOM only when asked', () => {
    expect(csvDocument(['a', '1'], true)).toBe(`${UTF8_BOM}a\r\n1`);
    expect(csvDocument(['a', '1'], false)).toBe('a\r\n1');
  });

  it('writes exactly what Papa.unparse writes, and Papa.parse reads it back', () => {
    const cell = fc.string({
      unit: fc.constantFrom('"', ',', '\r', '\n', ' ', '\uFEFF', 'a', '陈', '😀', "'", '='),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
        (rows) => {
          const ours = csvDocument(
            rows.map((r) => csvLine(r.map(csvCell))),
            false,
          );
          expect(ours).toBe(Papa.unparse(rows, { newline: '\r\n' }));
          expect(Papa.parse(ours, { delimiter: ',', newline: '\r\n' }).data).toEqual(rows);
        },
      ),
      { numRuns: 200 },
    );
  });
});
