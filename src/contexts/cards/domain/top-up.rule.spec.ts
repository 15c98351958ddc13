import { topUpRefusal, topUpSource, topUpTarget, TopUpReasons } from './top-up.rule.js';

/** Tianjin's transit wallet: 300 yuan minimum, 5,000 yuan cap (REFERENCE.md §1). */
const TRANSIT = { minimumFen: 30_000, maximumFen: 500_000, balanceCapFen: 500_000 };
const BANK = { minimumFen: 100, maximumFen: 5_000_000, balanceCapFen: null };

describe('top-up limits', () => {
  it.each([
    [29_999, 0, 'TOP_UP_BELOW_MINIMUM'],
    [30_000, 0, null],
    [500_000, 0, null],
    [500_001, 0, 'TOP_UP_ABOVE_MAXIMUM'],
    [30_000, 470_000, null], // lands exactly on the cap
    [30_000, 470_001, 'BALANCE_CAP_EXCEEDED'],
    [29_999, 490_000, 'TOP_UP_BELOW_MINIMUM'], // minimum is checked first
  ])('transit wallet: %i fen onto %i → %s', (amount, balance, code) => {
    const refusal = topUpRefusal(amount, balance, TRANSIT);
    expect(refusal?.code ?? null).toBe(code);
    if (refusal) expect(refusal.message).toBe(TopUpReasons[refusal.code]);
  });

  it('has no cap when the rule says null', () => {
    expect(topUpRefusal(5_000_000, 900_000_000_000, BANK)).toBeNull();
    expect(topUpRefusal(99, 0, BANK)?.code).toBe('TOP_UP_BELOW_MINIMUM');
    expect(topUpRefusal(5_000_001, 0, BANK)?.code).toBe('TOP_UP_ABOVE_MAXIMUM');
  });

  it('targets the account the card has, or says which it lacks', () => {
    const full = { bank: 'card:T00000018:bank', transit: 'card:T00000018:transit', personal: 'card:T00000018:personal' };
    expect(topUpTarget(full, 'TRANSIT')).toEqual({ code: 'card:T00000018:transit' });
    expect(topUpTarget(full, 'PERSONAL')).toEqual({ code: 'card:T00000018:personal' });
    const bare = { bank: 'card:B00000018:bank', transit: null, personal: null };
    expect(topUpTarget(bare, 'BANK')).toEqual({ code: 'card:B00000018:bank' });
    expect(topUpTarget(bare, 'TRANSIT')).toMatchObject({ refusal: { code: 'NO_TRANSIT_APPLICATION' } });
    expect(topUpTarget(bare, 'PERSONAL')).toMatchObject({ refusal: { code: 'NO_PERSONAL_ACCOUNT' } });
  });

  it('funds cash top-ups from the issuing region and personal accounts from the home region', () => {
    const card = { issuingRegion: '12' as const, homeRegion: '11' as const };
    expect(topUpSource('TRANSIT', card).code).toBe('external:cash-in:12');
    expect(topUpSource('BANK', card).code).toBe('external:cash-in:12');
    expect(topUpSource('PERSONAL', card)).toMatchObject({ code: 'external:medical-contributions:11', region: '11' });
  });
});
