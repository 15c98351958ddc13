import { testRules } from '../testing/circulation-rules.js';
import { decideReturn, type ReturnFacts } from './return.rule.js';

const facts = (over: Partial<ReturnFacts> = {}): ReturnFacts => ({
  returnDate: '2026-03-31',
  loan: { loanId: 'L1', network: 'TIANJIN', homeRegion: '12', dueDate: '2026-03-31' },
  itemNetwork: 'TIANJIN',
  desk: { libraryId: 'LIB-12-OTHER', network: 'TIANJIN' },
  cardUsable: true,
  bankBalanceFen: 10_000,
  ...over,
});
const tj = testRules();

describe('the return decision', () => {
  it('takes a book back on its due date without a fine, at any library of the same network (通借通还)', () => {
    expect(decideReturn(facts(), tj)).toEqual({
      ok: true,
      overdueDays: 0,
      fineFen: 0,
      chargedFen: 0,
      outstandingFen: 0,
      finePerDayPerItemFen: 20,
      rule: 'libraries.return',
    });
  });

  it('charges days × fine per day the day after', () => {
    expect(decideReturn(facts({ returnDate: '2026-04-01' }), tj)).toMatchObject({
      ok: true,
      overdueDays: 1,
      fineFen: 20,
      chargedFen: 20,
      outstandingFen: 0,
      rule: 'libraries.overdue-fine',
    });
    expect(decideReturn(facts({ returnDate: '2026-05-01' }), tj)).toMatchObject({ overdueDays: 31, fineFen: 620 });
  });

  it('caps the fine per item when the rule has a cap', () => {
    expect(decideReturn(facts({ returnDate: '2026-12-31' }), testRules({}, { fineCapPerItemFen: 2000 }))).toMatchObject({ overdueDays: 275, fineFen: 2000 });
  });

  it('leaves what the bank balance cannot pay owed, and charges nothing to an unusable card', () => {
    expect(decideReturn(facts({ returnDate: '2026-05-01', bankBalanceFen: 500 }), tj)).toMatchObject({ fineFen: 620, chargedFen: 500, outstandingFen: 120 });
    expect(decideReturn(facts({ returnDate: '2026-05-01', cardUsable: false }), tj)).toMatchObject({ fineFen: 620, chargedFen: 0, outstandingFen: 620 });
  });

  it("refuses a return at a library of another network when the item's network refuses them, and takes it when it accepts them", () => {
    const elsewhere = { libraryId: 'LIB-11-A', network: 'CAPITAL' };
    expect(decideReturn(facts({ desk: elsewhere }), tj)).toEqual({ ok: false, code: 'RETURN_OUTSIDE_NETWORK', rule: 'libraries.cross-network-return' });
    expect(decideReturn(facts({ desk: { libraryId: 'X', network: null } }), tj)).toMatchObject({ ok: false, code: 'RETURN_OUTSIDE_NETWORK' });
    const accepting = testRules({ networks: { TIANJIN: { ...tj.networks['TIANJIN']!, crossNetworkReturn: 'ACCEPT' } } });
    expect(decideReturn(facts({ desk: elsewhere, returnDate: '2026-04-02' }), accepting)).toMatchObject({ ok: true, overdueDays: 2, fineFen: 40 });
  });
});
