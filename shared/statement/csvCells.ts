/**
 * Cell-level rules shared by every CSV statement: formula-injection escaping of free text and
 * RFC 4180 serialisation with CRLF line ends and an optional UTF-8 BOM.
 */
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

/**
 * Cells that need quotes under RFC 4180 (delimiter, quote, CR, LF), plus the BOM and a leading or
 * trailing space, exactly as Papa Parse decides: csvCells.test.ts checks the output is
 * byte-identical to Papa.unparse. We serialise ourselves only because Papa.unparse takes seconds
 * on a 100k-row statement (string concatenation per cell, several scans per cell).
 */
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;
const QUOTE = /"/g;

/** One CSV cell, quoted (with inner quotes doubled) only when needed. */
export function csvCell(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(QUOTE, '""')}"` : cell;
}

/** A free-text cell, ready to write: formula-escaped, then quoted if needed. */
export function textCell(text: string): string {
  return csvCell(escapeTextCell(text));
}

/** One record from cells that are already escaped and quoted. */
export function csvLine(cells: readonly string[]): string {
  return cells.join(',');
}

/** Joins finished records with CRLF (no line end after the last), UTF-8 BOM first unless `bom` is false. */
export function csvDocument(lines: readonly string[], bom: boolean): string {
  const body = lines.join('\r\n');
  return bom ? UTF8_BOM + body : body;
}
