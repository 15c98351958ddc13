import { decideScenicTap } from './tap-outcome.js';

describe('the scenic tap decision before the admission rule', () => {
  it.each([
    [null, 'CARD_UNKNOWN'],
    ['TEMPORARY_LOSS', 'CARD_LOST'],
    ['FORMAL_LOSS', 'CARD_LOST'],
    ['SEALED', 'CARD_NOT_ACTIVE'],
    ['CANCELLED', 'CARD_CANCELLED'],
    ['REPLACED', 'CARD_REPLACED'],
    ['APPLICATION_LOCKED', 'CARD_LOCKED'],
  ] as const)('refuses a card in status %s with %s, before pricing', (status, code) => {
    expect(decideScenicTap(null, { cardStatus: status }).outcome).toEqual({ decision: 'DENY', reason: code, priceFen: null, concession: null, entry: null });
  });

  it('refuses ADMISSION_RULES_NOT_IN_FORCE when the region has no rules that day', () => {
    const d = decideScenicTap(null, { cardStatus: 'ACTIVE' });
    expect(d.outcome.reason).toBe('ADMISSION_RULES_NOT_IN_FORCE');
    expect(d.rule).toBe('rules.in-force');
  });
});
