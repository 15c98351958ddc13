import { cardAccountCodes, cardAccountSpecs } from './card-accounts.js';
import { transitAppProblem } from './card-product.rule.js';
import { medicalCodeRefusal, MEDICAL_CODE_TTL_MS } from './medical-code.js';

describe('card products, accounts and medical codes', () => {
  it('allows the transit application on Tianjin third-generation cards only', () => {
    expect(transitAppProblem('12', 3)).toBeNull();
    expect(transitAppProblem('12', 2)).not.toBeNull();
    expect(transitAppProblem('11', 3)).not.toBeNull();
    expect(transitAppProblem('13', 3)).not.toBeNull();
  });

  it('opens a bank account always, a transit wallet with the app, a personal account for employees', () => {
    const employee = { cardNo: 'T00000018', issuingRegion: '12' as const, transitApp: true, scheme: 'EMPLOYEE' as const, homeRegion: '11' as const };
    expect(cardAccountCodes(employee)).toEqual({ bank: 'card:T00000018:bank', transit: 'card:T00000018:transit', personal: 'card:T00000018:personal' });
    expect(cardAccountSpecs(employee)).toEqual([
      { code: 'card:T00000018:bank', region: '12', kind: 'CARD_BANK', balanceRule: 'NON_NEGATIVE' },
      { code: 'card:T00000018:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' },
      { code: 'card:T00000018:personal', region: '11', kind: 'CARD_PERSONAL', balanceRule: 'NON_NEGATIVE' },
    ]);
    const resident = { ...employee, transitApp: false, scheme: 'RESIDENT' as const };
    expect(cardAccountCodes(resident)).toEqual({ bank: 'card:T00000018:bank', transit: null, personal: null });
    expect(cardAccountSpecs(resident)).toHaveLength(1);
  });

  it('refuses a medical code that is unknown, used (even if also expired) or expired at exactly 60 s', () => {
    const issued = new Date('2026-03-02T08:00:00+08:00');
    const expiresAt = new Date(issued.getTime() + MEDICAL_CODE_TTL_MS);
    expect(medicalCodeRefusal(null, issued)).toBe('MEDICAL_CODE_UNKNOWN');
    expect(medicalCodeRefusal({ usedAt: null, expiresAt }, new Date(expiresAt.getTime() - 1))).toBeNull();
    expect(medicalCodeRefusal({ usedAt: null, expiresAt }, expiresAt)).toBe('MEDICAL_CODE_EXPIRED');
    expect(medicalCodeRefusal({ usedAt: issued, expiresAt }, issued)).toBe('MEDICAL_CODE_USED');
    expect(medicalCodeRefusal({ usedAt: issued, expiresAt }, new Date(expiresAt.getTime() + 1))).toBe('MEDICAL_CODE_USED');
  });
});
