/** Statements: CSV exports of a group (and reading them back), and full backups. */
export * from './backup';
export * from './csv';
