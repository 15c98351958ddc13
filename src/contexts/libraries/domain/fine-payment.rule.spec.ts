import { fineChargeLegs, finePaymentLegs } from './fine-accounts.js';
import { decideFinePayment } from './fine-payment.rule.js';

const fines = [
  { fineId: 'r1', libraryId: 'LIB-A', outstandingFen: 120 },
  { fineId: 'r2', libraryId: 'LIB-B', outstandingFen: 300 },
  { fineId: 'r3', libraryId: 'LIB-A', outstandingFen: 80 },
];

describe('paying fines', () => {
  it('pays everything outstanding by default, oldest first', () => {
    expect(decideFinePayment({ fines, requestedFen: null, bankBalanceFen: 1000 })).toEqual({
      ok: true,
      amountFen: 500,
      allocations: [
        { fineId: 'r1', libraryId: 'LIB-A', paidFen: 120 },
        { fineId: 'r2', libraryId: 'LIB-B', paidFen: 300 },
        { fineId: 'r3', libraryId: 'LIB-A', paidFen: 80 },
      ],
      rule: 'libraries.fine-payment',
    });
  });

  it('pays a part, oldest fines first, the last one partly', () => {
    const d = decideFinePayment({ fines, requestedFen: 200, bankBalanceFen: 200 });
    expect(d).toMatchObject({
      ok: true,
      amountFen: 200,
      allocations: [
        { fineId: 'r1', paidFen: 120 },
        { fineId: 'r2', paidFen: 80 },
      ],
    });
  });

  it('refuses with nothing owed, more than owed, or a balance below the amount', () => {
    expect(decideFinePayment({ fines: [], requestedFen: null, bankBalanceFen: 1000 })).toMatchObject({ ok: false, code: 'NO_OUTSTANDING_FINES', amountFen: 0 });
    expect(decideFinePayment({ fines, requestedFen: 501, bankBalanceFen: 1000 })).toMatchObject({ ok: false, code: 'AMOUNT_EXCEEDS_OUTSTANDING_FINES' });
    expect(decideFinePayment({ fines, requestedFen: null, bankBalanceFen: 499 })).toMatchObject({ ok: false, code: 'INSUFFICIENT_BALANCE', amountFen: 500 });
  });

  it("moves the money into each library's receivable, one leg per library", () => {
    expect(
      finePaymentLegs('card:T1:bank', [
        { libraryId: 'LIB-A', paidFen: 120 },
        { libraryId: 'LIB-B', paidFen: 300 },
        { libraryId: 'LIB-A', paidFen: 80 },
      ]),
    ).toEqual([
      { from: 'card:T1:bank', to: 'venue:LIB-A:fines-receivable', amount: 200 },
      { from: 'card:T1:bank', to: 'venue:LIB-B:fines-receivable', amount: 300 },
    ]);
  });

  it('books a fine at return as revenue: the paid part from the bank, the owed part from the receivable', () => {
    expect(fineChargeLegs('card:T1:bank', 'LIB-A', '12', 500, 120)).toEqual([
      { from: 'card:T1:bank', to: 'venue:LIB-A:revenue', amount: 500 },
      { from: 'venue:LIB-A:fines-receivable', to: 'venue:LIB-A:revenue', amount: 120 },
    ]);
    expect(fineChargeLegs('card:T1:bank', 'LIB-A', '12', 0, 620)).toEqual([{ from: 'venue:LIB-A:fines-receivable', to: 'venue:LIB-A:revenue', amount: 620 }]);
    expect(fineChargeLegs('card:T1:bank', 'LIB-A', '12', 0, 0)).toEqual([]);
  });
});
