/**
 * 一卡通阅, black-box through signed HTTP (TERMINAL-API.md "Culture"): a Tianjin reader borrows at
 * one library, renews from the phone, returns late at another library of the network with too
 * little money, is blocked, pays, borrows again; the card's history, the reports and the ledger
 * verification read it all back.
 */
import { rawRequest } from '@onecard/testing';
import { startTestApp, type TestApp } from '@test/support';
import { balance, barcode, desk, DESKS, issueCard, LIBS, setUpLibraries, topUpBank } from '../../src/contexts/libraries/testing/fixtures.js';

describe('一卡通阅 (black box)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T09:00:00+08:00' });
    await setUpLibraries(t, { TJ: 3, HP: 1, BJ: 0, CY: 0, HB: 0 });
  });
  afterAll(() => t?.close());

  it('documents the library endpoints and every reason code in OpenAPI', async () => {
    const doc = (await rawRequest(t.baseUrl, 'GET', '/docs-json', {})).body;
    for (const path of [
      '/v1/libraries/loans',
      '/v1/libraries/returns',
      '/v1/libraries/renewals',
      '/v1/libraries/fines/payments',
      '/v1/admin/libraries/items',
    ]) {
      expect(doc.paths[path]?.post).toBeDefined();
    }
    for (const path of [
      '/v1/admin/libraries',
      '/v1/admin/libraries/fines',
      '/v1/admin/libraries/{libraryId}/loans',
      '/v1/admin/libraries/cards/{cardNo}/loans',
    ]) {
      expect(doc.paths[path]?.get).toBeDefined();
    }
    const codes = (schema: string) => doc.components.schemas[schema].properties.code.enum;
    expect(codes('LoanReasonDto')).toEqual(
      expect.arrayContaining([
        'CARD_LOST',
        'ITEM_UNKNOWN',
        'ITEM_ALREADY_ON_LOAN',
        'ITEM_OF_ANOTHER_NETWORK',
        'CIRCULATION_RULES_NOT_IN_FORCE',
        'FINES_OUTSTANDING',
        'LOANS_OVERDUE',
        'LOAN_LIMIT_REACHED',
      ]),
    );
    expect(codes('ReturnReasonDto')).toEqual(['ITEM_UNKNOWN', 'ITEM_NOT_ON_LOAN', 'RETURN_OUTSIDE_NETWORK']);
    expect(codes('RenewalReasonDto')).toEqual(expect.arrayContaining(['LOAN_OF_ANOTHER_HOLDER', 'RENEWAL_LIMIT_REACHED', 'LOAN_OVERDUE']));
    expect(codes('FinePaymentReasonDto')).toEqual(expect.arrayContaining(['NO_OUTSTANDING_FINES', 'AMOUNT_EXCEEDS_OUTSTANDING_FINES', 'INSUFFICIENT_BALANCE']));
  });

  it('borrows, renews, returns late with a short balance, is blocked, pays, and borrows again', async () => {
    const cardNo = await issueCard(t, '12', 300);
    const tianjin = desk(t, DESKS.TIANJIN);
    const heping = desk(t, DESKS.HEPING);
    const app = desk(t, await t.holderApp(cardNo));

    expect((await tianjin.lend('e2e-loan-1', cardNo, barcode('TJ', 1), '2026-03-02T09:05:00+08:00')).body).toMatchObject({
      decision: 'ALLOW',
      dueDate: '2026-04-01',
    });
    expect((await app.renew('e2e-renew-1', cardNo, barcode('TJ', 1), '2026-03-30T20:00:00+08:00')).body).toMatchObject({
      decision: 'ALLOW',
      dueDate: '2026-04-29',
    });
    expect((await app.renew('e2e-renew-2', cardNo, barcode('TJ', 1), '2026-04-20T20:00:00+08:00')).body.reason.code).toBe('RENEWAL_LIMIT_REACHED');

    // 60 days late at the other Tianjin library: 1,200 fen, 300 paid from the bank, 900 owed.
    const back = await heping.return('e2e-return-1', barcode('TJ', 1), '2026-06-28T10:00:00+08:00');
    expect(back.body).toMatchObject({
      decision: 'ALLOW',
      libraryId: LIBS.HEPING,
      owningLibraryId: LIBS.TIANJIN,
      overdueDays: 60,
      fineFen: 1200,
      fineChargedFen: 300,
      fineOutstandingFen: 900,
    });
    expect(await balance(t, `venue:${LIBS.TIANJIN}:revenue`)).toBe(1200);
    expect(await balance(t, `venue:${LIBS.TIANJIN}:fines-receivable`)).toBe(-900);

    // 900 owed is not above the 1,000 threshold: still lends; a second late book pushes it over.
    expect((await heping.lend('e2e-loan-2', cardNo, barcode('HP', 1), '2026-06-28T10:05:00+08:00')).body).toMatchObject({
      decision: 'ALLOW',
      finesOutstandingFen: 900,
      dueDate: '2026-07-28',
    });
    expect((await heping.return('e2e-return-2', barcode('HP', 1), '2026-08-07T10:00:00+08:00')).body).toMatchObject({
      overdueDays: 10,
      fineFen: 200,
      fineOutstandingFen: 200,
    });
    const blocked = await tianjin.lend('e2e-loan-3', cardNo, barcode('TJ', 2), '2026-08-07T10:05:00+08:00');
    expect(blocked.body).toMatchObject({ decision: 'DENY', reason: { code: 'FINES_OUTSTANDING' }, finesOutstandingFen: 1100 });

    await topUpBank(t, cardNo, 2_000);
    expect((await app.pay('e2e-pay-1', cardNo, '2026-08-07T10:10:00+08:00')).body).toMatchObject({
      decision: 'ALLOW',
      amountFen: 1100,
      finesOutstandingFen: 0,
      balanceFen: 900,
    });
    expect((await tianjin.lend('e2e-loan-4', cardNo, barcode('TJ', 2), '2026-08-07T10:15:00+08:00')).body.decision).toBe('ALLOW');

    const history = (await t.auditor.get(`/v1/admin/cards/${cardNo}/history`)).body;
    const libraryRecords = history.records.filter((r: { context: string }) => r.context === 'libraries');
    expect(libraryRecords.map((r: { commandType: string; decision: string }) => `${r.commandType}:${r.decision}`)).toEqual([
      'libraries.loan:ALLOW',
      'libraries.renewal:ALLOW',
      'libraries.renewal:DENY',
      'libraries.return:ALLOW',
      'libraries.loan:ALLOW',
      'libraries.return:ALLOW',
      'libraries.loan:DENY',
      'libraries.fine-payment:ALLOW',
      'libraries.loan:ALLOW',
    ]);
    t.clock.set('2026-08-07T12:00:00+08:00');
    const summary = (await t.auditor.get('/v1/admin/libraries')).body.libraries.find((l: { libraryId: string }) => l.libraryId === LIBS.TIANJIN);
    expect(summary).toMatchObject({ loansOutstanding: 1, loansOverdue: 0, finesChargedFen: 1200, finesOutstandingFen: 0 });
    expect((await t.auditor.get('/v1/admin/ledger/verification')).body.ok).toBe(true);
  });
});
