import { prepaymentMovement, topUpThreshold, type PrepaymentTerms } from './prepayment.rule.js';

const terms: PrepaymentTerms = { home: '11', treatment: '12', prepaymentFen: 100_000, thresholdPercent: 30 };

describe('prepaymentMovement', () => {
  it("tops up to the full prepayment at the month's first close, then draws the day's obligations", () => {
    expect(prepaymentMovement({ terms, balanceFen: 12_000, drawFen: 20_000, firstCloseOfMonth: true, openCall: false })).toEqual({
      home: '11',
      treatment: '12',
      prepaymentFen: 100_000,
      thresholdFen: 30_000,
      balanceBeforeFen: 12_000,
      topUpFen: 88_000,
      drawFen: 20_000,
      balanceAfterFen: 80_000,
      callFen: null,
    });
  });

  it('tops up nothing later in the month, and nothing when the balance already exceeds the prepayment', () => {
    expect(prepaymentMovement({ terms, balanceFen: 50_000, drawFen: 0, firstCloseOfMonth: false, openCall: false }).topUpFen).toBe(0);
    expect(prepaymentMovement({ terms, balanceFen: 120_000, drawFen: 0, firstCloseOfMonth: true, openCall: false }).topUpFen).toBe(0);
  });

  it('calls a top-up back to the full amount when the balance falls under the threshold, once while a call is open', () => {
    expect(prepaymentMovement({ terms, balanceFen: 40_000, drawFen: 10_001, firstCloseOfMonth: false, openCall: false }).callFen).toBe(70_001);
    expect(prepaymentMovement({ terms, balanceFen: 40_000, drawFen: 10_000, firstCloseOfMonth: false, openCall: false }).callFen).toBeNull();
    expect(prepaymentMovement({ terms, balanceFen: 40_000, drawFen: 50_000, firstCloseOfMonth: false, openCall: true }).callFen).toBeNull();
  });

  it('lets the balance go negative (the home owes beyond its prepayment), and a reversal give back', () => {
    expect(prepaymentMovement({ terms, balanceFen: 10_000, drawFen: 30_000, firstCloseOfMonth: false, openCall: false })).toMatchObject({
      balanceAfterFen: -20_000,
      callFen: 120_000,
    });
    expect(prepaymentMovement({ terms, balanceFen: 10_000, drawFen: -5_000, firstCloseOfMonth: false, openCall: true })).toMatchObject({
      balanceAfterFen: 15_000,
      callFen: null,
    });
  });

  it('calls nothing for a pair without a prepayment', () => {
    expect(prepaymentMovement({ terms: { ...terms, prepaymentFen: 0 }, balanceFen: 0, drawFen: 500, firstCloseOfMonth: true, openCall: false })).toMatchObject({
      topUpFen: 0,
      balanceAfterFen: -500,
      callFen: null,
    });
  });

  it('rounds the threshold down to the fen', () => {
    expect(topUpThreshold({ ...terms, prepaymentFen: 333, thresholdPercent: 30 })).toBe(99);
  });
});
