import { startTestApp, type TestApp } from '@test/support';
import { accumulatorsOf, balanceOf, CLINICS, CODES, issueCard, line, setUpClinics, TERMINALS, topUpPersonal } from '../../testing/fixtures.js';

describe('POST /v1/medical/settlements/{settlementId}/reversal (real PostgreSQL)', () => {
  let t: TestApp;
  let cardNo: string;
  const AT = '2026-03-02T09:30:00+08:00';
  const INSTITUTION = `institution:${CLINICS.TJ_L3.venueId}:receivable`;
  const accounts = () => ['fund:11:medical-pool', 'external:patient-cash:12', INSTITUTION, `card:${cardNo}:personal`];
  const balances = async () => Promise.all(accounts().map((a) => balanceOf(t, a)));
  const settle = (settlementId: string, items = [line(CODES.METFORMIN, 250_000)], terminal: string = TERMINALS.TJ_L3) =>
    t.terminal(terminal).post('/v1/medical/settlements', { settlementId, credential: { cardNo }, visitType: 'OUTPATIENT', items, occurredAt: AT });
  const reverse = (settlementId: string, reversalId: string, terminal: string = TERMINALS.TJ_L3, reason = 'wrong items entered') =>
    t.terminal(terminal).post(`/v1/medical/settlements/${settlementId}/reversal`, { reversalId, reason });

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    await setUpClinics(t);
    cardNo = await issueCard(t, { homeRegion: '11', scheme: 'EMPLOYEE' });
    await topUpPersonal(t, cardNo, 30_000);
  });
  afterAll(() => t?.close());

  it('undoes the whole settlement: reversing entries, accumulators and balances back where they were', async () => {
    const before = await balances();
    const yearBefore = await accumulatorsOf(t, cardNo);
    // Beijing employee, Tianjin L3, 250000 in policy with a recognisable CBC: deductible 180000;
    // fund (252500 − 180000) × 70 % = 50750; patient 201750: account 30000, cash 171750.
    const settled = await settle('st-r-1', [line(CODES.METFORMIN, 250_000), line(CODES.CBC, 2500)]);
    expect(settled.body).toMatchObject({
      decision: 'ALLOW',
      totalFen: 252_500,
      deductibleFen: 180_000,
      fundFen: 50_750,
      personalAccountFen: 30_000,
      cashFen: 171_750,
    });
    expect(await balances()).toEqual([-50_750, -171_750, 252_500, 0]);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM medical.results WHERE settlement_id = 'st-r-1'`))[0].n).toBe(1);

    const res = await reverse('st-r-1', 'rv-1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      reversalId: 'rv-1',
      settlementId: 'st-r-1',
      institutionId: CLINICS.TJ_L3.venueId,
      reversedBy: null,
      totalFen: 252_500,
      fundFen: 50_750,
      personalAccountFen: 30_000,
      cashFen: 171_750,
      ruleSet: { id: 'medical.policy.beijing', version: 1 },
    });
    expect(await balances()).toEqual(before);
    expect(await accumulatorsOf(t, cardNo)).toMatchObject({
      outpatientDeductibleFen: yearBefore.outpatientDeductibleFen,
      outpatientFundFen: yearBefore.outpatientFundFen,
      settlements: 0,
    });
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM medical.results WHERE settlement_id = 'st-r-1'`))[0].n).toBe(0);

    // The ledger: the reversal's group names the settlement and swaps each leg.
    const [j] = await t.dataSource.query(
      `SELECT decision, reverses, legs, subject, rule_set_id, regions FROM ledger.journal WHERE command_type = 'medical.reverse-settlement' AND command_id = 'rv-1'`,
    );
    expect(j).toMatchObject({ decision: 'ALLOW', reverses: 'medical.settle:st-r-1', legs: 3, subject: cardNo, rule_set_id: 'medical.policy.beijing' });
    expect([...j.regions].sort()).toEqual(['11', '12']);
    const entries = await t.dataSource.query(
      `SELECT e.command_type, e.account_code, sum(e.amount)::bigint AS amount FROM ledger.entry_journal e
       WHERE e.command_id IN ('st-r-1', 'rv-1') GROUP BY e.command_type, e.account_code ORDER BY e.command_type, e.account_code`,
    );
    expect(entries).toEqual([
      { command_type: 'medical.reverse-settlement', account_code: `card:${cardNo}:personal`, amount: 30_000 },
      { command_type: 'medical.reverse-settlement', account_code: 'external:patient-cash:12', amount: 171_750 },
      { command_type: 'medical.reverse-settlement', account_code: 'fund:11:medical-pool', amount: 50_750 },
      { command_type: 'medical.reverse-settlement', account_code: INSTITUTION, amount: -252_500 },
      { command_type: 'medical.settle', account_code: `card:${cardNo}:personal`, amount: -30_000 },
      { command_type: 'medical.settle', account_code: 'external:patient-cash:12', amount: -171_750 },
      { command_type: 'medical.settle', account_code: 'fund:11:medical-pool', amount: -50_750 },
      { command_type: 'medical.settle', account_code: INSTITUTION, amount: 252_500 },
    ]);
    const settlement = (
      await t.dataSource.query(
        `SELECT reversal_id, reversal_reason, reversed_at IS NOT NULL AS reversed FROM medical.settlements WHERE settlement_id = 'st-r-1'`,
      )
    )[0];
    expect(settlement).toEqual({ reversal_id: 'rv-1', reversal_reason: 'wrong items entered', reversed: true });
  });

  it('gives the deductible back: the next settlement of the year uses it again', async () => {
    await topUpPersonal(t, cardNo, 30_000);
    const again = await settle('st-r-2', [line(CODES.METFORMIN, 250_000), line(CODES.CBC, 2500)]);
    expect(again.body).toMatchObject({ deductibleFen: 180_000, fundFen: 50_750, policy: { deductibleRemainingFen: 180_000 } });
  });

  it('replays a retried reversal; a second reversal is DENY ALREADY_REVERSED', async () => {
    const retry = await reverse('st-r-1', 'rv-1');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.decision).toBe('ALLOW');
    const before = await balances();
    const second = await reverse('st-r-1', 'rv-1b');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ decision: 'DENY', reason: { code: 'ALREADY_REVERSED' }, reversedBy: 'rv-1', totalFen: null });
    expect(await balances()).toEqual(before);
    const [j] = await t.dataSource.query(`SELECT decision, reason_code, reverses, legs FROM ledger.journal WHERE command_id = 'rv-1b'`);
    expect(j).toEqual({ decision: 'DENY', reason_code: 'ALREADY_REVERSED', reverses: 'medical.settle:st-r-1', legs: 0 });
    expect((await reverse('st-r-1', 'rv-1', TERMINALS.TJ_L3, 'another reason')).status).toBe(409);
  });

  it('lets exactly one of two racing reversals through', async () => {
    await topUpPersonal(t, cardNo, 10_000);
    expect((await settle('st-r-3', [line(CODES.METFORMIN, 10_000)])).body.decision).toBe('ALLOW');
    const yearBefore = await accumulatorsOf(t, cardNo);
    const answers = await Promise.all([reverse('st-r-3', 'rv-3a'), reverse('st-r-3', 'rv-3b', TERMINALS.TJ_L3_B)]);
    expect(answers.map((a) => a.body.decision).sort()).toEqual(['ALLOW', 'DENY']);
    expect(answers.find((a) => a.body.decision === 'DENY')!.body.reason.code).toBe('ALREADY_REVERSED');
    const year = await accumulatorsOf(t, cardNo);
    // 10000 × 70 % = 7000 came off the fund total once, not twice.
    expect(year.outpatientFundFen).toBe(yearBefore.outpatientFundFen - 7000);
  });

  it('refuses to reverse a refused settlement (NOTHING_TO_REVERSE)', async () => {
    const lost = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
    await t.operator.post(`/v1/admin/cards/${lost}/status`, { operation: 'TEMPORARY_LOSS' });
    const denied = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements', {
      settlementId: 'st-r-denied',
      credential: { cardNo: lost },
      visitType: 'OUTPATIENT',
      items: [line(CODES.CBC, 1)],
      occurredAt: AT,
    });
    expect(denied.body.decision).toBe('DENY');
    const res = await reverse('st-r-denied', 'rv-denied');
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'NOTHING_TO_REVERSE' } });
  });

  it('answers 404 for an unknown settlement and 403 to another institution or terminal kind, writing nothing', async () => {
    const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal`))[0].n;
    const before = await count();
    expect((await reverse('st-nowhere', 'rv-404')).status).toBe(404);
    expect((await reverse('st-r-2', 'rv-403', TERMINALS.BJ_L3)).status).toBe(403);
    expect((await reverse('st-r-denied', 'rv-403b', TERMINALS.BJ_L3)).status).toBe(403);
    expect((await reverse('st-r-2', 'rv-403c', TERMINALS.GATE)).status).toBe(403);
    expect(await count()).toBe(before);
    expect((await reverse('st-r-2', 'rv-bad', TERMINALS.TJ_L3, '')).status).toBe(400);
    const badPath = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements/bad%20id/reversal', { reversalId: 'rv-x', reason: 'x' });
    expect(badPath.status).toBe(400);
  });

  it('replays reversal decisions', async () => {
    for (const id of ['rv-1', 'rv-1b', 'rv-denied']) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=medical.reverse-settlement`, {});
      expect(res.body).toMatchObject({ match: true });
    }
  });
});
