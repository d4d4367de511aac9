/**
 * CSV statements of a group: the group statement, one member's statement, and reading a group
 * statement back. File format: docs/csv.md.
 */
export { UTF8_BOM } from './csvCells';
export { groupStatementCsv } from './csvGroup';
export { DEFAULT_STATEMENT_LABELS, type StatementLabels } from './csvLabels';
export { memberStatementCsv } from './csvMember';
export type { StatementErrorCode, StatementOptions } from './csvOptions';
export {
  type ParsedPayer,
  type ParsedStatement,
  type ParsedStatementRow,
  parseStatementCsv,
} from './csvParse';
