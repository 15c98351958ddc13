import { startTestApp, type TestApp } from '@test/support';
import { barcode, desk, DESKS, issueCard, journal, LIBS, setUpLibraries } from '../../testing/fixtures.js';

const AT = '2026-03-01T10:00:00+08:00';
const TJ_RULES = { id: 'libraries.circulation.tianjin', version: 2 };

describe('lending at a library desk (real PostgreSQL)', () => {
  let t: TestApp;
  let tj: ReturnType<typeof desk>;

  beforeAll(async () => {
    t = await startTestApp();
    await setUpLibraries(t);
    tj = desk(t, DESKS.TIANJIN);
  });
  afterAll(() => t?.close());

  const loansOf = async (cardNo: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM libraries.loans WHERE card_no = $1 AND returned_at IS NULL`, [cardNo]))[0].n);
  const journalCount = async () =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'libraries.loan'`))[0].n);

  it("lends an item for the network's loan period from the Asia/Shanghai loan date, journaled with the rule set version", async () => {
    const cardNo = await issueCard(t, '12');
    const res = await tj.lend('L-1', cardNo, barcode('TJ', 1), AT);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      loanId: 'L-1',
      cardNo,
      barcode: 'TJ-0001',
      libraryId: LIBS.TIANJIN,
      dueDate: '2026-03-31',
      loansOutstanding: 1,
      loanLimit: 5,
      finesOutstandingFen: 0,
      ruleSet: TJ_RULES,
    });
    expect(await journal(t, 'libraries.loan', 'L-1')).toMatchObject({
      decision: 'ALLOW',
      reason_code: null,
      rule_set_id: TJ_RULES.id,
      rule_version: 2,
      subject: cardNo,
      terminal_id: DESKS.TIANJIN,
      legs: 0,
    });
    const [loan] = await t.dataSource.query(
      `SELECT barcode, library_id, network, desk_library_id, due_date, rule_set_id, rule_version FROM libraries.loans WHERE loan_id = 'L-1'`,
    );
    expect(loan).toEqual({
      barcode: 'TJ-0001',
      library_id: LIBS.TIANJIN,
      network: 'TIANJIN',
      desk_library_id: LIBS.TIANJIN,
      due_date: '2026-03-31',
      rule_set_id: TJ_RULES.id,
      rule_version: 2,
    });
  });

  it('takes the loan date in UTC+8: a loan at 2026-02-28T16:30Z is lent on 1 March', async () => {
    const cardNo = await issueCard(t, '12');
    const res = await tj.lend('L-utc', cardNo, barcode('TJ', 2), '2026-02-28T16:30:00Z');
    expect(res.body).toMatchObject({ decision: 'ALLOW', dueDate: '2026-03-31' });
  });

  it("lends the Tianjin network's items at another library of the network, and Capital items for 42 days", async () => {
    const cardNo = await issueCard(t, '11');
    expect((await desk(t, DESKS.HEPING).lend('L-hp', cardNo, barcode('TJ', 3), AT)).body).toMatchObject({
      decision: 'ALLOW',
      libraryId: LIBS.HEPING,
      dueDate: '2026-03-31',
      loanLimit: 5,
    });
    expect((await desk(t, DESKS.CAPITAL).lend('L-bj', cardNo, barcode('BJ', 1), AT)).body).toMatchObject({
      decision: 'ALLOW',
      dueDate: '2026-04-12',
      loanLimit: 15,
      ruleSet: { id: 'libraries.circulation.beijing', version: 2 },
    });
  });

  it('is idempotent by loanId: a retry replays the answer and writes nothing; another body is 409', async () => {
    const cardNo = await issueCard(t, '12');
    const first = await tj.lend('L-idem', cardNo, barcode('TJ', 4), AT);
    const before = await journalCount();
    const retry = await tj.lend('L-idem', cardNo, barcode('TJ', 4), AT);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(await journalCount()).toBe(before);
    expect(await loansOf(cardNo)).toBe(1);
    expect((await tj.lend('L-idem', cardNo, barcode('TJ', 5), AT)).status).toBe(409);
    // The same id from another desk is another request.
    expect((await desk(t, DESKS.TIANJIN_2).lend('L-idem', cardNo, barcode('TJ', 4), AT)).status).toBe(409);
    // Concurrent retries of one new loan: one loan, every answer the same.
    const answers = await Promise.all(Array.from({ length: 5 }, () => tj.lend('L-idem-race', cardNo, barcode('TJ', 5), AT)));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0]!.body.decision).toBe('ALLOW');
    expect(await loansOf(cardNo)).toBe(2);
  });

  it('refuses unusable and unknown cards with the shared card reasons', async () => {
    const cardNo = await issueCard(t, '12');
    await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'TEMPORARY_LOSS' });
    expect((await tj.lend('L-lost', cardNo, barcode('TJ', 6), AT)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'CARD_LOST' },
      dueDate: null,
      ruleSet: null,
    });
    expect((await tj.lend('L-unknown-card', 'T99999990', barcode('TJ', 6), AT)).body).toMatchObject({ decision: 'DENY', reason: { code: 'CARD_UNKNOWN' } });
    expect(await journal(t, 'libraries.loan', 'L-unknown-card')).toMatchObject({ decision: 'DENY', reason_code: 'CARD_UNKNOWN', subject: 'T99999990' });
  });

  it('refuses an unknown barcode as a tap (200 ITEM_UNKNOWN, journaled), not a 404', async () => {
    const cardNo = await issueCard(t, '12');
    const res = await tj.lend('L-nobook', cardNo, 'NO-SUCH-BOOK', AT);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'ITEM_UNKNOWN', message: expect.any(String) }, dueDate: null });
    expect(await journal(t, 'libraries.loan', 'L-nobook')).toMatchObject({ decision: 'DENY', reason_code: 'ITEM_UNKNOWN', rule_set_id: null });
  });

  it('refuses an item already on loan (ITEM_ALREADY_ON_LOAN), to another holder or the same', async () => {
    const [a, b] = [await issueCard(t, '12'), await issueCard(t, '12')];
    expect((await tj.lend('L-dup-1', a, barcode('TJ', 7), AT)).body.decision).toBe('ALLOW');
    expect((await tj.lend('L-dup-2', b, barcode('TJ', 7), AT)).body).toMatchObject({ decision: 'DENY', reason: { code: 'ITEM_ALREADY_ON_LOAN' } });
    expect((await tj.lend('L-dup-3', a, barcode('TJ', 7), AT)).body.reason.code).toBe('ITEM_ALREADY_ON_LOAN');
  });

  it("refuses another network's item where the desk's network lends none (ITEM_OF_ANOTHER_NETWORK), with the desk's rules", async () => {
    const cardNo = await issueCard(t, '12');
    expect((await tj.lend('L-xnet', cardNo, barcode('BJ', 2), AT)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'ITEM_OF_ANOTHER_NETWORK' },
      ruleSet: TJ_RULES,
    });
    // A library outside any network lends nothing of one.
    expect((await desk(t, DESKS.NO_NETWORK).lend('L-nonet', cardNo, barcode('TJ', 8), AT)).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'ITEM_OF_ANOTHER_NETWORK' },
      ruleSet: null,
    });
  });

  it('refuses when no circulation rules are in force on the loan date (CIRCULATION_RULES_NOT_IN_FORCE)', async () => {
    const cardNo = await issueCard(t, '12');
    expect((await tj.lend('L-2025', cardNo, barcode('TJ', 8), '2025-12-31T23:59:59+08:00')).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'CIRCULATION_RULES_NOT_IN_FORCE' },
    });
  });

  describe('loan limits by home region × network', () => {
    it('Tianjin: 5 books for a Tianjin holder, the 6th refused (LOAN_LIMIT_REACHED); the limit is per network', async () => {
      const cardNo = await issueCard(t, '12');
      const hp = desk(t, DESKS.HEPING);
      for (let n = 1; n <= 4; n++) expect((await hp.lend(`LIM-TJ-${n}`, cardNo, barcode('HP', n), AT)).body.decision).toBe('ALLOW');
      // The 5th from the other Tianjin library counts against the same network.
      const fifth = await tj.lend('LIM-TJ-5', cardNo, barcode('TJ', 8), AT);
      expect(fifth.body).toMatchObject({ decision: 'ALLOW', loansOutstanding: 5, loanLimit: 5 });
      const sixth = await desk(t, DESKS.CAPITAL).lend('LIM-TJ-6', cardNo, barcode('BJ', 3), AT);
      expect(sixth.body).toMatchObject({ decision: 'ALLOW', loansOutstanding: 1, loanLimit: 5 }); // Capital: 5 for Tianjin holders, counted apart
      await t.operator.post('/v1/admin/libraries/items', { barcode: 'TJ-EXTRA', libraryId: LIBS.TIANJIN, title: 'extra' });
      const refused = await tj.lend('LIM-TJ-7', cardNo, 'TJ-EXTRA', AT);
      expect(refused.body).toMatchObject({ decision: 'DENY', reason: { code: 'LOAN_LIMIT_REACHED' }, loansOutstanding: 5, loanLimit: 5, ruleSet: TJ_RULES });
      expect(await journal(t, 'libraries.loan', 'LIM-TJ-7')).toMatchObject({ reason_code: 'LOAN_LIMIT_REACHED', rule_set_id: TJ_RULES.id, rule_version: 2 });
    });

    it('Shijiazhuang: 2 books, whatever the home region', async () => {
      for (const home of ['13', '11'] as const) {
        const cardNo = await issueCard(t, home);
        const hb = desk(t, DESKS.HEBEI);
        const [one, two, three] = home === '13' ? [1, 2, 3] : [4, 5, 6];
        if (home === '11')
          for (const n of [5, 6]) await t.operator.post('/v1/admin/libraries/items', { barcode: barcode('HB', n), libraryId: LIBS.HEBEI, title: 'hb' });
        expect((await hb.lend(`LIM-HB-${home}-1`, cardNo, barcode('HB', one), AT)).body).toMatchObject({
          decision: 'ALLOW',
          loanLimit: 2,
          dueDate: '2026-03-31',
        });
        expect((await hb.lend(`LIM-HB-${home}-2`, cardNo, barcode('HB', two), AT)).body.decision).toBe('ALLOW');
        expect((await hb.lend(`LIM-HB-${home}-3`, cardNo, barcode('HB', three), AT)).body).toMatchObject({
          decision: 'DENY',
          reason: { code: 'LOAN_LIMIT_REACHED' },
          loanLimit: 2,
        });
      }
    });

    it('Capital Library: 15 items for a Beijing holder, 5 for a Hebei holder', async () => {
      const beijing = await issueCard(t, '11');
      const hebei = await issueCard(t, '13');
      const cap = desk(t, DESKS.CAPITAL);
      for (let n = 4; n <= 18; n++) expect((await cap.lend(`LIM-BJ-${n}`, beijing, barcode('BJ', n), AT)).body.decision).toBe('ALLOW');
      expect((await desk(t, DESKS.CHAOYANG).lend('LIM-BJ-16th', beijing, barcode('CY', 1), AT)).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'LOAN_LIMIT_REACHED' },
        loansOutstanding: 15,
        loanLimit: 15,
      });
      await t.operator.post('/v1/admin/libraries/items', { barcode: 'BJ-X1', libraryId: LIBS.CAPITAL, title: 'x' });
      for (let n = 19; n <= 20; n++)
        expect((await cap.lend(`LIM-HE-${n}`, hebei, barcode('BJ', n), AT)).body).toMatchObject({ decision: 'ALLOW', loanLimit: 5 });
      const more = ['CY-0002', 'BJ-X1'];
      expect((await desk(t, DESKS.CHAOYANG).lend('LIM-HE-3', hebei, more[0]!, AT)).body.decision).toBe('ALLOW');
      for (let n = 1; n <= 2; n++) await t.operator.post('/v1/admin/libraries/items', { barcode: `BJ-Y${n}`, libraryId: LIBS.CAPITAL, title: 'y' });
      expect((await cap.lend('LIM-HE-4', hebei, 'BJ-Y1', AT)).body.decision).toBe('ALLOW');
      expect((await cap.lend('LIM-HE-5', hebei, 'BJ-Y2', AT)).body).toMatchObject({ decision: 'ALLOW', loansOutstanding: 5 });
      expect((await cap.lend('LIM-HE-6', hebei, more[1]!, AT)).body).toMatchObject({ decision: 'DENY', reason: { code: 'LOAN_LIMIT_REACHED' }, loanLimit: 5 });
    });
  });

  it('refuses a holder with an overdue loan anywhere (LOANS_OVERDUE), as the rules say', async () => {
    const cardNo = await issueCard(t, '12');
    await t.operator.post('/v1/admin/libraries/items', { barcode: 'OD-1', libraryId: LIBS.TIANJIN, title: 'od' });
    await t.operator.post('/v1/admin/libraries/items', { barcode: 'OD-2', libraryId: LIBS.HEBEI, title: 'od' });
    expect((await tj.lend('L-od-1', cardNo, 'OD-1', AT)).body.dueDate).toBe('2026-03-31');
    expect((await desk(t, DESKS.HEBEI).lend('L-od-2', cardNo, 'OD-2', '2026-03-31T23:59:59+08:00')).body.decision).toBe('ALLOW');
    await t.operator.post('/v1/admin/libraries/items', { barcode: 'OD-3', libraryId: LIBS.HEBEI, title: 'od' });
    const res = await desk(t, DESKS.HEBEI).lend('L-od-3', cardNo, 'OD-3', '2026-04-01T00:00:00+08:00');
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code: 'LOANS_OVERDUE' }, ruleSet: { id: 'libraries.circulation.hebei', version: 2 } });
  });

  it('two desks lending one item at the same instant make one loan; the other is ITEM_ALREADY_ON_LOAN', async () => {
    await t.operator.post('/v1/admin/libraries/items', { barcode: 'RACE-1', libraryId: LIBS.TIANJIN, title: 'race' });
    const [a, b] = [await issueCard(t, '12'), await issueCard(t, '12')];
    for (let round = 0; round < 3; round++) {
      const code = round === 0 ? 'RACE-1' : `RACE-${round + 1}`;
      if (round > 0) await t.operator.post('/v1/admin/libraries/items', { barcode: code, libraryId: LIBS.TIANJIN, title: 'race' });
      const answers = await Promise.all([tj.lend(`R-${round}-a`, a, code, AT), desk(t, DESKS.TIANJIN_2).lend(`R-${round}-b`, b, code, AT)]);
      expect(answers.map((x) => x.body.decision).sort()).toEqual(['ALLOW', 'DENY']);
      expect(answers.find((x) => x.body.decision === 'DENY')!.body.reason.code).toBe('ITEM_ALREADY_ON_LOAN');
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM libraries.loans WHERE barcode = $1`, [code]);
      expect(n).toBe(1);
    }
  });

  it('keeps the loan limit under concurrent desks: a holder at 4 of 5 gets one more, not three', async () => {
    const cardNo = await issueCard(t, '12');
    const codes = Array.from({ length: 7 }, (_, i) => `CONC-${i}`);
    for (const code of codes) await t.operator.post('/v1/admin/libraries/items', { barcode: code, libraryId: LIBS.TIANJIN, title: 'c' });
    for (let i = 0; i < 4; i++) expect((await tj.lend(`C-${i}`, cardNo, codes[i]!, AT)).body.decision).toBe('ALLOW');
    const answers = await Promise.all([4, 5, 6].map((i) => desk(t, i % 2 ? DESKS.TIANJIN_2 : DESKS.HEPING).lend(`C-${i}`, cardNo, codes[i]!, AT)));
    expect(answers.filter((x) => x.body.decision === 'ALLOW')).toHaveLength(1);
    expect(answers.filter((x) => x.body.reason?.code === 'LOAN_LIMIT_REACHED')).toHaveLength(2);
    expect(await loansOf(cardNo)).toBe(5);
  });

  it('replays a journaled loan decision with its recorded rule set version', async () => {
    for (const id of ['L-1', 'LIM-TJ-7', 'L-xnet', 'L-nobook', 'L-lost', 'L-od-3']) {
      const res = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=libraries.loan`, undefined);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ match: true, commandType: 'libraries.loan' });
    }
  });

  it.each([
    [{ loanId: 'bad id', cardNo: 'T00000018', barcode: 'TJ-0001', loanedAt: AT }, ['/loanId']],
    [{ loanId: 'x1', cardNo: 'X1', barcode: 'TJ-0001', loanedAt: AT }, ['/cardNo']],
    [{ loanId: 'x2', cardNo: 'T00000018', barcode: 'bad barcode!', loanedAt: AT }, ['/barcode']],
    [{ loanId: 'x3', cardNo: 'T00000018', barcode: 'TJ-0001', loanedAt: '2026-03-01T10:00:00' }, ['/loanedAt']],
    [{ loanId: 'x4', cardNo: 'T00000018', barcode: 'TJ-0001', loanedAt: AT, libraryId: LIBS.HEPING }, ['/libraryId']],
    [{}, ['/loanId', '/cardNo', '/barcode', '/loanedAt']],
  ])('answers 400 naming each bad field of %j and journals nothing', async (body, pointers) => {
    const before = await journalCount();
    const res = await t.terminal(DESKS.TIANJIN).post('/v1/libraries/loans', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
    expect(await journalCount()).toBe(before);
  });

  it('is for library desks only (403 for the holder app)', async () => {
    const cardNo = await issueCard(t, '12');
    expect((await desk(t, await t.holderApp(cardNo)).lend('L-app', cardNo, 'TJ-0001', AT)).status).toBe(403);
  });
});
