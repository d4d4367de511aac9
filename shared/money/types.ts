/** An amount in integer minor units of its currency (cents, fen, yen). Always a safe integer. */
export type Minor = number;

/** A member is identified by the hex Ed25519 public key of their installation (64 hex chars). */
export type MemberId = string;

/** ISO 4217 alphabetic code, upper case ("CNY", "JPY"). */
export type CurrencyCode = string;

/** Largest absolute amount we accept, in minor units: keeps every sum of a ledger a safe integer. */
export const MAX_AMOUNT: Minor = 1_000_000_000_000_000; // 1e15

/**
 * How an expense's total is shared among members.
 * Maps are plain records keyed by MemberId so that they survive JSON unchanged.
 */
export type SplitSpec =
  | { readonly mode: 'equal'; readonly members: readonly MemberId[] }
  | { readonly mode: 'exact'; readonly amounts: Readonly<Record<MemberId, Minor>> }
  /** Percentages with two decimals, as integer basis points (12.5% = 1250); they sum to 10000. */
  | { readonly mode: 'percent'; readonly basisPoints: Readonly<Record<MemberId, number>> }
  /** Non-negative integer weights (at least one positive). */
  | { readonly mode: 'shares'; readonly weights: Readonly<Record<MemberId, number>> }
  /** Equal split of (total - sum of adjustments), then each member's adjustment (+/-, minor units) added. */
  | {
      readonly mode: 'adjustment';
      readonly members: readonly MemberId[];
      readonly adjustments: Readonly<Record<MemberId, Minor>>;
    };

export type SplitMode = SplitSpec['mode'];

/** One payer of an expense and how much they paid; the payers of an expense sum to its total. */
export interface Payer {
  readonly member: MemberId;
  readonly amount: Minor;
}
