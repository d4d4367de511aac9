/** Exact money for the wallet: currencies, parsing, formatting, checked arithmetic and splits. */
export { addMinor, assertMinor, isMinor, negate, subMinor, sumMinor } from './arith';
export { type Currency, getCurrency, isCurrency, listCurrencies } from './currencies';
export {
  type DecimalStringErrorCode,
  type FormatAmountOptions,
  formatAmount,
  fromDecimalString,
  toDecimalString,
} from './format';
export { type ParseAmountErrorCode, parseAmount } from './parse';
export {
  allocateLargestRemainder,
  type PayersErrorCode,
  type SplitErrorCode,
  splitAmount,
  splitPayers,
} from './split';
export * from './types';
