/**
 * Cell-level rules shared by every CSV statement: formula-injection escaping of free text and
 * RFC 4180 serialisation (through Papa Parse) with CRLF line ends and an optional UTF-8 BOM.
 */
import Papa from 'papaparse';

/** Byte order mark: without it Excel reads a UTF-8 CSV in the legacy code page and garbles Chinese text. */
export const UTF8_BOM = '\uFEFF';

/**
 * First characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection advice),
 * plus the apostrophe itself so that escaping can be undone exactly on import.
 */
const NEEDS_ESCAPE = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);

/** Free text for a CSV cell: a leading apostrophe disarms a would-be formula. Never use on amounts. */
export function escapeTextCell(text: string): string {
  return text.length > 0 && NEEDS_ESCAPE.has(text[0]!) ? `'${text}` : text;
}

/** Inverse of escapeTextCell: drops the apostrophe only where escapeTextCell would have added it. */
export function unescapeTextCell(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && NEEDS_ESCAPE.has(cell[1]!) ? cell.slice(1) : cell;
}

/** Serialises header + rows as RFC 4180 CSV (quotes where needed, CRLF), UTF-8 BOM first unless `bom` is false. */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[], bom: boolean): string {
  // Arrays of arrays: Papa's {fields, data} form turns an empty `data` into one blank row.
  const body = Papa.unparse([header, ...rows] as string[][], { newline: '\r\n' });
  return bom ? UTF8_BOM + body : body;
}
