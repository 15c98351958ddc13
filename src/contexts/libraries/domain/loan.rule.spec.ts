import { testRules } from '../testing/circulation-rules.js';
import { decideLoan, type LoanFacts } from './loan.rule.js';

const facts = (over: Partial<LoanFacts> = {}): LoanFacts => ({
  loanDate: '2026-03-01',
  homeRegion: '12',
  desk: { libraryId: 'LIB-12-A', region: '12', network: 'TIANJIN' },
  item: { barcode: 'TJ-1', libraryId: 'LIB-12-B', network: 'TIANJIN', region: '12' },
  itemOnLoan: false,
  finesOutstandingFen: 0,
  openLoansInNetwork: 0,
  overdueLoans: 0,
  ...over,
});
const tj = testRules();
const capital = testRules({
  networks: {
    CAPITAL: {
      name: 'Capital',
      rules: [
        { homeRegions: ['11', '12', '13'], loanLimit: 15, loanDays: 42, renewals: 1, renewalDays: 28, finePerDayPerItemFen: 10, fineCapPerItemFen: null },
      ],
      crossNetworkReturn: 'REFUSE',
      crossNetworkLoan: 'REFUSE',
    },
  },
});
const rules = { item: tj, desk: tj };

describe('the loan decision', () => {
  it("lends with the due date loan days after the loan date, and the limit for the holder's home region", () => {
    expect(decideLoan(facts(), rules)).toEqual({ ok: true, dueDate: '2026-03-31', loanDays: 30, loanLimit: 5, rule: 'libraries.loan-period' });
    expect(decideLoan(facts({ homeRegion: '11' }), rules)).toMatchObject({ ok: true, loanLimit: 3 });
  });

  it('refuses an unknown barcode (ITEM_UNKNOWN) and an item on loan (ITEM_ALREADY_ON_LOAN) before anything else', () => {
    expect(decideLoan(facts({ item: null, finesOutstandingFen: 99_999 }), rules)).toMatchObject({ ok: false, code: 'ITEM_UNKNOWN', decidedBy: null });
    expect(decideLoan(facts({ itemOnLoan: true, openLoansInNetwork: 9 }), rules)).toMatchObject({ ok: false, code: 'ITEM_ALREADY_ON_LOAN' });
  });

  it('applies the loan limit of the item network for the home region: the 5th loan passes, the 6th is refused', () => {
    expect(decideLoan(facts({ openLoansInNetwork: 4 }), rules).ok).toBe(true);
    expect(decideLoan(facts({ openLoansInNetwork: 5 }), rules)).toMatchObject({ ok: false, code: 'LOAN_LIMIT_REACHED', loanLimit: 5, decidedBy: 'item' });
    expect(decideLoan(facts({ homeRegion: '13', openLoansInNetwork: 3 }), rules)).toMatchObject({ ok: false, code: 'LOAN_LIMIT_REACHED', loanLimit: 3 });
    const zero = testRules({}, { loanLimit: 0 });
    expect(decideLoan(facts(), { item: zero, desk: zero })).toMatchObject({ ok: false, code: 'LOAN_LIMIT_REACHED', loanLimit: 0 });
  });

  it('blocks borrowing above the fine threshold, not at it', () => {
    expect(decideLoan(facts({ finesOutstandingFen: 1000 }), rules).ok).toBe(true);
    expect(decideLoan(facts({ finesOutstandingFen: 1001 }), rules)).toMatchObject({ ok: false, code: 'FINES_OUTSTANDING' });
  });

  it('blocks borrowing with an overdue loan only when the rules say so', () => {
    expect(decideLoan(facts({ overdueLoans: 1 }), rules)).toMatchObject({ ok: false, code: 'LOANS_OVERDUE', rule: 'libraries.overdue-block' });
    const lenient = testRules({ borrowingBlockedWhenOverdue: false });
    expect(decideLoan(facts({ overdueLoans: 1 }), { item: lenient, desk: lenient }).ok).toBe(true);
  });

  it('checks fines, then overdue loans, then the limit', () => {
    expect(decideLoan(facts({ finesOutstandingFen: 2000, overdueLoans: 1, openLoansInNetwork: 5 }), rules)).toMatchObject({ code: 'FINES_OUTSTANDING' });
    expect(decideLoan(facts({ overdueLoans: 1, openLoansInNetwork: 5 }), rules)).toMatchObject({ code: 'LOANS_OVERDUE' });
  });

  it("refuses an item of another network unless the desk's network lends such items, then applies the item network's terms", () => {
    const capitalItem = { barcode: 'BJ-1', libraryId: 'LIB-11-A', network: 'CAPITAL', region: '11' as const };
    expect(decideLoan(facts({ item: capitalItem }), { item: capital, desk: tj })).toMatchObject({
      ok: false,
      code: 'ITEM_OF_ANOTHER_NETWORK',
      decidedBy: 'desk',
    });
    const generous = testRules({ networks: { TIANJIN: { ...tj.networks['TIANJIN']!, crossNetworkLoan: 'ACCEPT' } } });
    expect(decideLoan(facts({ item: capitalItem }), { item: capital, desk: generous })).toEqual({
      ok: true,
      dueDate: '2026-04-12',
      loanDays: 42,
      loanLimit: 15,
      rule: 'libraries.loan-period',
    });
    // A desk of a library without a network, or without rules in force, lends nothing of a network.
    expect(decideLoan(facts({ desk: { libraryId: 'X', region: '12', network: null } }), rules)).toMatchObject({
      code: 'ITEM_OF_ANOTHER_NETWORK',
      decidedBy: null,
    });
    expect(decideLoan(facts({ item: capitalItem }), { item: capital, desk: null })).toMatchObject({ code: 'ITEM_OF_ANOTHER_NETWORK', decidedBy: null });
  });

  it("refuses when no rules for the item's network are in force (CIRCULATION_RULES_NOT_IN_FORCE)", () => {
    expect(decideLoan(facts(), { item: null, desk: tj })).toMatchObject({ ok: false, code: 'CIRCULATION_RULES_NOT_IN_FORCE' });
    expect(decideLoan(facts(), { item: capital, desk: tj })).toMatchObject({ ok: false, code: 'CIRCULATION_RULES_NOT_IN_FORCE' });
  });
});
