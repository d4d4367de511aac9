/**
 * Column mappings of bank CSVs, remembered per bank on this device (docs/import.md): keyed by
 * the hash of the bank's header row, kept with the other UI preferences in localStorage. Never
 * synced: a statement's layout says which bank someone uses.
 */
import { type BankMapping, parseBankMapping } from '../../../shared/import/bank-csv';

const KEY = 'tally.bankMappings.v1';
/** Enough for anyone's banks; the least recently used go first. */
const MAX_BANKS = 20;

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function readAll(storage: Storage | undefined): [string, BankMapping][] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item): [string, BankMapping][] => {
      if (!Array.isArray(item) || typeof item[0] !== 'string') return [];
      const mapping = parseBankMapping(item[1]);
      return mapping ? [[item[0], mapping]] : [];
    });
  } catch {
    return [];
  }
}

/** The mapping last used for a bank whose header hashes to `headerKey`, if any. */
export function rememberedBankMapping(
  storage: Storage | undefined,
  headerKey: string,
): BankMapping | undefined {
  return readAll(storage).find(([key]) => key === headerKey)?.[1];
}

/** Remembers `mapping` for the bank (most recent first). Storage full or disabled: forgotten, no error. */
export function rememberBankMapping(
  storage: Storage | undefined,
  headerKey: string,
  mapping: BankMapping,
): void {
  const rest = readAll(storage).filter(([key]) => key !== headerKey);
  try {
    storage?.setItem(KEY, JSON.stringify([[headerKey, mapping], ...rest].slice(0, MAX_BANKS)));
  } catch {
    // Only a convenience: the user maps the columns again next time.
  }
}
