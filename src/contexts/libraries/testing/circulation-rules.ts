import type { LibraryCirculationParameters, LoanRule } from '@onecard/rules';

/** Circulation parameters for unit tests: one network per region as in rules/libraries v2. */
export function testRules(overrides: Partial<LibraryCirculationParameters> = {}, rule: Partial<LoanRule> = {}): LibraryCirculationParameters {
  const r = (homeRegions: LoanRule['homeRegions'], loanLimit: number): LoanRule => ({
    homeRegions,
    loanLimit,
    loanDays: 30,
    renewals: 1,
    renewalDays: 30,
    finePerDayPerItemFen: 20,
    fineCapPerItemFen: null,
    ...rule,
  });
  return {
    networks: {
      TIANJIN: { name: 'Tianjin', rules: [r(['12'], 5), r(['11', '13'], 3)], crossNetworkReturn: 'REFUSE', crossNetworkLoan: 'REFUSE' },
    },
    borrowingBlockedAboveFineFen: 1000,
    renewalRefusedWhenOverdue: true,
    borrowingBlockedWhenOverdue: true,
    ...overrides,
  };
}
