import { testRules } from '../testing/circulation-rules.js';
import { decideRenewal, type RenewalFacts } from './renewal.rule.js';

const facts = (over: Partial<RenewalFacts> = {}, loan: Partial<RenewalFacts['loan']> = {}): RenewalFacts => ({
  renewalDate: '2026-03-25',
  loan: { network: 'TIANJIN', homeRegion: '12', dueDate: '2026-03-31', renewals: 0, ...loan },
  sameHolder: true,
  ...over,
});
const tj = testRules();

describe('the renewal decision', () => {
  it('renews once: renewal days from the renewal day', () => {
    expect(decideRenewal(facts(), tj)).toEqual({ ok: true, dueDate: '2026-04-24', renewalsUsed: 1, renewalsAllowed: 1, rule: 'libraries.renewal-period' });
  });

  it('renews on the due date itself, but not the day after when overdue renewals are refused (LOAN_OVERDUE)', () => {
    expect(decideRenewal(facts({ renewalDate: '2026-03-31' }), tj)).toMatchObject({ ok: true, dueDate: '2026-04-30' });
    expect(decideRenewal(facts({ renewalDate: '2026-04-01' }), tj)).toMatchObject({ ok: false, code: 'LOAN_OVERDUE', renewalsAllowed: 1 });
    expect(decideRenewal(facts({ renewalDate: '2026-04-01' }), testRules({ renewalRefusedWhenOverdue: false }))).toMatchObject({
      ok: true,
      dueDate: '2026-05-01',
    });
  });

  it('refuses past the renewal count (RENEWAL_LIMIT_REACHED), also with no renewals at all', () => {
    expect(decideRenewal(facts({}, { renewals: 1 }), tj)).toMatchObject({ ok: false, code: 'RENEWAL_LIMIT_REACHED', renewalsAllowed: 1 });
    expect(decideRenewal(facts(), testRules({}, { renewals: 0 }))).toMatchObject({ ok: false, code: 'RENEWAL_LIMIT_REACHED', renewalsAllowed: 0 });
    expect(decideRenewal(facts({}, { renewals: 1 }), testRules({}, { renewals: 2 }))).toMatchObject({ ok: true, renewalsUsed: 2 });
  });

  it("checks the count before overdue, and refuses another holder's card first (LOAN_OF_ANOTHER_HOLDER)", () => {
    expect(decideRenewal(facts({ renewalDate: '2026-04-05' }, { renewals: 1 }), tj)).toMatchObject({ code: 'RENEWAL_LIMIT_REACHED' });
    expect(decideRenewal(facts({ sameHolder: false }), tj)).toMatchObject({ ok: false, code: 'LOAN_OF_ANOTHER_HOLDER' });
  });
});
