/** Argument handling shared by the sim and fuzz command lines: bad arguments exit 2 with one line. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export type CliValues = Record<string, string | boolean | undefined>;

export function readOptions(program: string, options: NonNullable<ParseArgsConfig['options']>): CliValues {
  try {
    return parseArgs({ options }).values as CliValues;
  } catch (error) {
    process.stderr.write(`${program}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

/** A whole-number option ≥ min, or the fallback when absent. */
export function wholeNumber(
  program: string,
  name: string,
  raw: unknown,
  fallback: number,
  min: number,
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`${program}: --${name} must be a whole number ≥ ${min}, got "${String(raw)}"\n`);
    process.exit(2);
  }
  return n;
}
