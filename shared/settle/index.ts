export { type Balances, computeBalances, type MemberTotals, memberTotals } from './balances';
export { type ConvertErrorCode, convertBalances, type ExactRate, findRate } from './convert';
export { EXACT_LIMIT, planSettlement, planSettlementGreedy, type Transfer } from './plan';
