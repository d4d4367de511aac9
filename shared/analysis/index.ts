/** Spending analysis from folded group states: pure, exact, no I/O (docs/analysis.md). */
export { type AnalysisFilter, checkFilter, type FilterErrorCode } from './items';
export {
  allocateConverted,
  convertAcrossGroups,
  convertSpending,
  type SpendingConvertErrorCode,
} from './convert';
export {
  analyzeSpending,
  combineSpending,
  type CurrencySpending,
  largestFirst,
  type MemberSpending,
  type SpendingErrorCode,
  type SpendingReport,
} from './spending';
export { monthlyTrend, nextMonth, type TrendPoint } from './trends';
