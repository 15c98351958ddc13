import { asCsvText, AUDITOR_TOKEN, fetchCsv, startTestApp, type TestApp } from '@test/support';
import pg from 'pg';
import { CODES, issueCard as issueInsured, line, setUpClinics, TERMINALS, topUpPersonal } from '../../src/contexts/medical/testing/fixtures.js';
import { at, gateIn, gateOut, issueCard as issueRider, reserve, setUpStations, tap } from '../../src/contexts/transit/testing/fixtures.js';

const D1 = '2026-02-27';
const D2 = '2026-02-28'; // the last day of the month
const D3 = '2026-03-01';
const SCOPED_TOKEN = 'test-auditor-hebei-token';

/**
 * Clearing end to end (real PostgreSQL, signed HTTP): a Beijing patient treated in Tianjin and a
 * Tianjin rider on the intercity line, then the day closes, a late offline tap, a reversal after
 * close, the month's last day, the prepayment's draw-downs and top-up call, settlements, scopes.
 */
describe('inter-region clearing (day close, late items, adjustments, prepayment, settlement)', () => {
  let t: TestApp;
  let patient: string;
  let hebeiPatient: string;
  let settledD1: any;

  const balance = async (code: string) =>
    Number((await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = $1`, [code]))[0].b);
  const close = (date: string) => t.operator.post(`/v1/admin/clearing/days/${date}/close`, {});
  const settle = (settlementId: string, cardNo: string, terminal: string, occurredAt: string) =>
    t
      .terminal(terminal)
      .post('/v1/medical/settlements', { settlementId, credential: { cardNo }, visitType: 'OUTPATIENT', items: [line(CODES.METFORMIN, 250_000)], occurredAt });
  const line0 = (view: any, payer: string, payee: string, l: string) =>
    view.figures.lines.find((x: any) => x.payer === payer && x.payee === payee && x.line === l);

  beforeAll(async () => {
    t = await startTestApp({
      now: '2026-02-26T09:00:00+08:00',
      env: { ADMIN_TOKENS: `operator:test-operator-token,auditor:test-auditor-token,auditor@13:${SCOPED_TOKEN}` },
    });
    await setUpStations(t);
    await setUpClinics(t);
    // Beijing's prepayment with Tianjin is small from D1 on, so one settlement draws it under 30 %.
    const published = await t.operator.post('/v1/admin/rule-sets', {
      id: 'clearing.prepayment.beijing',
      version: 2,
      context: 'clearing',
      kind: 'prepayment',
      region: '11',
      effectiveFrom: D1,
      description: 'A small prepayment for the test.',
      sources: { '': 'E' },
      parameters: { prepayments: { '12': 100_000, '13': 100_000 }, topUpThresholdPercent: 30 },
    });
    expect(published.status).toBe(201);
    patient = await issueInsured(t, { homeRegion: '11', scheme: 'EMPLOYEE' });
    await topUpPersonal(t, patient, 30_000);
    hebeiPatient = await issueInsured(t, { homeRegion: '13', scheme: 'EMPLOYEE' });
  });
  afterAll(() => t?.close());

  it('derives the open day from the ledger: gross and count per payer → payee and line, nets summing to zero', async () => {
    t.clock.set(at(D1, '07:50'));
    const rider = await issueRider(t, { transitFen: 20_000 });
    expect((await reserve(t, 'BJN', rider, 'TJN', D1)).body.decision).toBe('ALLOW');
    t.clock.set(at(D1, '07:52'));
    expect((await tap(t, gateIn('BJN'), rider, at(D1, '07:52'))).body.decision).toBe('ALLOW');
    t.clock.set(at(D1, '08:40'));
    expect((await tap(t, gateOut('TJN'), rider, at(D1, '08:38'))).body.decision).toBe('ALLOW');
    t.clock.set(at(D1, '09:40'));
    const s = await settle('st-clr-1', patient, TERMINALS.TJ_L3, at(D1, '09:30'));
    expect(s.body.decision).toBe('ALLOW');
    settledD1 = s.body;

    const day = await t.auditor.get(`/v1/admin/clearing/days/${D1}`);
    expect(day.status).toBe(200);
    expect(day.body.status).toBe('OPEN');
    expect(line0(day.body, '12', '11', 'transit')).toMatchObject({ grossFen: 5450, count: 1, reversedFen: 0, netFen: 5450 });
    expect(line0(day.body, '11', '12', 'medical-pool')).toMatchObject({ grossFen: settledD1.fundFen, count: 1 });
    expect(line0(day.body, '11', '12', 'medical-personal')).toMatchObject({ grossFen: 30_000, count: 1 });
    expect(day.body.figures.all.positions.reduce((s: number, p: any) => s + p.netFen, 0)).toBe(0);
    expect(day.body.figures.daily.bilateral).toEqual([{ payer: '12', payee: '11', amountFen: 5450 }]);
    expect(day.body.matrix.find((c: any) => c.payer === '11' && c.payee === '12').netFen).toBe(settledD1.fundFen + 30_000);
  });

  it('refuses a day that has not ended, and a day that follows an open day, writing nothing', async () => {
    t.clock.set(at(D1, '23:00'));
    const early = await close(D1);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'DAY_NOT_ENDED' });
    t.clock.set(at(D3, '00:10'));
    const skip = await close(D2);
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ code: 'PREVIOUS_DAY_OPEN' });
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM clearing.statements`))[0].n).toBe(0);
  });

  it('closes a day once: the statement on the chain, the nets and draw-downs posted, a top-up called; a second close answers the first', async () => {
    t.clock.set(at(D2, '00:05'));
    const first = await close(D1);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ statementId: `D-${D1}`, seq: 1, kind: 'DAY', period: D1 });
    const drawn = settledD1.fundFen + 30_000;
    expect(first.body.body.transfers).toEqual(
      expect.arrayContaining([
        { from: 'clearing:12', to: 'clearing:11', amountFen: 5450 },
        { from: 'fund:11:medical-pool', to: 'prepayment:11:12', amountFen: 100_000 },
        { from: 'prepayment:11:12', to: 'clearing:12', amountFen: drawn },
        { from: 'fund:12:medical-pool', to: 'prepayment:12:11', amountFen: 30_000_000 },
      ]),
    );
    expect(await balance('clearing:11')).toBe(5450);
    expect(await balance('clearing:12')).toBe(-5450 + drawn);
    expect(await balance('prepayment:11:12')).toBe(100_000 - drawn);
    // 100000 − 80750 = 19250 is under 30 %: a call back to the full prepayment.
    expect(first.body.body.topUpCalls).toEqual([{ callId: `D-${D1}:11-12`, home: '11', treatment: '12', amountFen: drawn }]);

    const again = await close(D1);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const journal = await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.records WHERE command_type = 'clearing.close-day'`);
    expect(journal[0].n).toBe(1);
  });

  it('keeps a closed statement immutable: UPDATE and DELETE are refused by the database', async () => {
    // The service's role holds no UPDATE or DELETE; the owner is refused by the trigger.
    await expect(t.dataSource.query(`UPDATE clearing.statements SET body = '{}'::json WHERE seq = 1`)).rejects.toThrow(/permission denied/);
    const owner = new pg.Client({ connectionString: t.db.url });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE clearing.statements SET body = '{}'::json WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM clearing.statement_items`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE clearing.statements CASCADE`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
    const verification = await t.auditor.get('/v1/admin/ledger/verification');
    expect(verification.body.ok).toBe(true);
    expect(verification.body.statementChain).toEqual({ ok: true, statements: 1, firstBreak: null });
  });

  it('puts the statement chain head in the ledger digest, and verifies a digest posted back', async () => {
    const digest = await t.auditor.get('/v1/admin/ledger/digest');
    const head = digest.body.find((d: any) => d.chain === 'clearing-statements');
    const statement = await t.auditor.get(`/v1/admin/clearing/statements/D-${D1}`);
    expect(head).toMatchObject({ seq: 1, hash: statement.body.hash });
    const back = await t.auditor.post('/v1/admin/ledger/verification', { digest: digest.body });
    expect(back.status).toBe(200);
    expect(back.body.ok).toBe(true);
    const forged = await t.auditor.post('/v1/admin/ledger/verification', { digest: [{ ...head, hash: 'f'.repeat(64) }] });
    expect(forged.body.ok).toBe(false);
    expect(forged.body.statementChain.firstBreak).toMatchObject({ seq: 1, check: 'HASH' });
  });

  it('pays the top-up call into the prepayment once', async () => {
    t.clock.set(at(D2, '00:10'));
    const paid = await t.operator.post(`/v1/admin/clearing/top-up-calls/D-${D1}:11-12/payment`, {});
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ callId: `D-${D1}:11-12`, amountFen: settledD1.fundFen + 30_000 });
    expect(paid.body.paidAt).not.toBeNull();
    const again = await t.operator.post(`/v1/admin/clearing/top-up-calls/D-${D1}:11-12/payment`, {});
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await balance('prepayment:11:12')).toBe(100_000);
  });

  it('clears a late offline tap dated in the closed day in the next day, keeping its date; a reversal after close is an adjustment', async () => {
    t.clock.set(at(D2, '00:20'));
    const rider = await issueRider(t, { transitFen: 20_000 });
    t.clock.set(at(D1, '17:50'));
    expect((await reserve(t, 'BJN', rider, 'TJN', D1)).body.decision).toBe('ALLOW');
    t.clock.set(at(D2, '00:20'));
    const upload = (gateId: string, tapId: string, tappedAt: string) =>
      t.terminal(gateId).post('/v1/transit/taps:batch', { taps: [{ tapId, cardNo: rider, gateId, tappedAt }] });
    expect((await upload(gateIn('BJN'), 'late-in', at(D1, '17:52'))).body.taps[0].decision).toBe('ALLOW');
    expect((await upload(gateOut('TJN'), 'late-out', at(D1, '18:38'))).body.taps[0].decision).toBe('ALLOW');

    t.clock.set(at(D2, '10:00'));
    const reversal = await t.terminal(TERMINALS.TJ_L3).post('/v1/medical/settlements/st-clr-1/reversal', { reversalId: 'rv-clr-1', reason: 'entered twice' });
    expect(reversal.body.decision).toBe('ALLOW');
    // A Hebei patient treated in Beijing: the month's medical netting is not all zero.
    t.clock.set(at(D2, '11:00'));
    const hebei = await settle('st-clr-2', hebeiPatient, TERMINALS.BJ_L3, at(D2, '10:50'));
    expect(hebei.body.decision).toBe('ALLOW');

    const open = await t.auditor.get(`/v1/admin/clearing/days/${D2}`);
    expect(line0(open.body, '12', '11', 'transit')).toMatchObject({ grossFen: 5450, count: 1, lateFen: 5450 });
    expect(line0(open.body, '11', '12', 'medical-pool')).toMatchObject({
      grossFen: 0,
      reversedFen: settledD1.fundFen,
      netFen: -settledD1.fundFen,
      adjustmentFen: -settledD1.fundFen,
    });
    expect(open.body.figures.totals).toMatchObject({ lateCount: 1, adjustmentCount: 2 });

    t.clock.set(at(D3, '00:05'));
    // Two closes racing: one statement, both answers the same.
    const [closed, twin] = await Promise.all([close(D2), close(D2)]);
    expect([closed.status, twin.status]).toEqual([200, 200]);
    expect(twin.body).toEqual(closed.body);
    expect([closed.headers.get('idempotent-replayed'), twin.headers.get('idempotent-replayed')].filter(Boolean)).toEqual(['true']);
    const items = await t.auditor.get(`/v1/admin/clearing/statements/D-${D2}/items?limit=100`);
    const late = items.body.rows.find((r: any) => r.commandType === 'transit.tap' && r.late);
    expect(late).toMatchObject({ eventDate: D1, payer: '12', payee: '11', amountFen: 5450, late: true });
    expect(items.body.rows.filter((r: any) => r.adjustment).map((r: any) => r.commandId)).toEqual(['rv-clr-1', 'rv-clr-1']);
    // The draw-down of the reversal goes back into the prepayment.
    expect(await balance('prepayment:11:12')).toBe(100_000 + settledD1.fundFen + 30_000);
  });

  it("freezes the month's medical statement with its last day: prepayment, draw-downs, remainder owed either way, top-up calls", async () => {
    const month = await t.auditor.get('/v1/admin/clearing/months/2026-02');
    expect(month.status).toBe(200);
    expect(month.body).toMatchObject({ status: 'CLOSED', statementId: 'M-2026-02', days: [D1, D2] });
    const bj = month.body.prepayments.find((p: any) => p.home === '11' && p.treatment === '12');
    expect(bj).toMatchObject({ prepaymentFen: 100_000, openingFen: 0, toppedUpFen: 100_000, calledInFen: settledD1.fundFen + 30_000, drawnFen: 0 });
    expect(bj.remainderFen).toBe(bj.openingFen + bj.toppedUpFen + bj.calledInFen - bj.drawnFen);
    expect(bj).toMatchObject({ owedBy: '12', owedTo: '11' });
    expect(month.body.topUpCalls).toEqual([expect.objectContaining({ callId: `D-${D1}:11-12`, home: '11', treatment: '12' })]);
    expect(month.body.netting.positions.reduce((s: number, p: any) => s + p.netFen, 0)).toBe(0);
    const hb = month.body.netting.positions.find((p: any) => p.region === '13');
    expect(hb.netFen).toBeLessThan(0);
    expect(await balance('prepayment:13:11')).toBe(50_000_000 - -hb.netFen);
  });

  it('confirms a settlement only for the exact position; a second confirmation answers the first', async () => {
    const body = { region: '12', reference: 'PBOC-20260228-0001', amountFen: 5450, paidAt: '2026-02-28T10:00:00+08:00' };
    const wrong = await t.operator.post(`/v1/admin/clearing/statements/D-${D1}/settlement`, { ...body, amountFen: 5449 });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ code: 'AMOUNT_MISMATCH', positionFen: -5450 });
    const ok = await t.operator.post(`/v1/admin/clearing/statements/D-${D1}/settlement`, body);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ statementId: `D-${D1}`, region: '12', reference: body.reference, amountFen: 5450 });
    const again = await t.operator.post(`/v1/admin/clearing/statements/D-${D1}/settlement`, { ...body, reference: 'another' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(ok.body);
    const hb = (await t.auditor.get('/v1/admin/clearing/months/2026-02')).body.netting.positions.find((p: any) => p.region === '13');
    const monthly = await t.operator.post('/v1/admin/clearing/statements/M-2026-02/settlement', { ...body, region: '13', amountFen: -hb.netFen });
    expect(monthly.status).toBe(200);
    expect((await t.operator.post(`/v1/admin/clearing/statements/D-${D1}/settlement`, { ...body, region: '13' })).body.code).toBe('NOTHING_TO_SETTLE');
    expect((await t.operator.post(`/v1/admin/clearing/statements/D-${D1}/settlement`, { ...body, amountFen: 1.5 })).status).toBe(400);
  });

  it("shows a region-scoped auditor its region's side only; an unscoped auditor every side", async () => {
    const scoped = await fetch(`${t.baseUrl}/v1/admin/clearing/days/${D2}`, { headers: { authorization: `Bearer ${SCOPED_TOKEN}` } }).then(
      (r) => r.json() as Promise<any>,
    );
    expect(scoped.scope).toBe('13');
    expect(scoped.figures.lines.every((l: any) => l.payer === '13' || l.payee === '13')).toBe(true);
    expect(scoped.figures.lines.length).toBeGreaterThan(0);
    expect(scoped.figures.all.positions.map((p: any) => p.region)).toEqual(['13']);
    const all = await t.auditor.get(`/v1/admin/clearing/days/${D2}`);
    expect(all.body.figures.all.positions.map((p: any) => p.region)).toEqual(['11', '12', '13']);
    const close = await fetch(`${t.baseUrl}/v1/admin/clearing/days/${D3}/close`, { method: 'POST', headers: { authorization: `Bearer ${SCOPED_TOKEN}` } });
    expect(close.status).toBe(403);
  });

  it('answers the statements report as JSON pages and as CSV that parses back to the same rows', async () => {
    const pages: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.auditor.get(`/v1/admin/clearing/statements?from=${D1}&to=${D3}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(...res.body.rows);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages.map((r) => `${r.statementId}/${r.region}`)).toEqual([
      `D-${D1}/11`,
      `D-${D1}/12`,
      `D-${D1}/13`,
      `D-${D2}/11`,
      `D-${D2}/12`,
      `D-${D2}/13`,
      'M-2026-02/11',
      'M-2026-02/12',
      'M-2026-02/13',
    ]);
    const csv = await fetchCsv(t.baseUrl, `/v1/admin/clearing/statements?from=${D1}&to=${D3}`, AUDITOR_TOKEN);
    expect(csv.contentType).toContain('text/csv');
    expect(csv.records).toEqual(asCsvText(pages));
    expect((await t.auditor.get(`/v1/admin/clearing/statements?from=${D1}&to=${D3}&cursor=@@`)).status).toBe(400);
  });
});
