import { makeNationalId } from '@contexts/cards';
import { CommandExecutor } from '@onecard/engine';
import { startTestApp, type TestApp } from '@test/support';
import { balanceOf, accumulatorsOf, CLINICS, CODES, issueCard, line, setUpClinics, TERMINALS, topUpPersonal } from '../../testing/fixtures.js';

describe('POST /v1/medical/settlements (real PostgreSQL, rule data from rules/medical)', () => {
  let t: TestApp;
  const AT = '2026-03-02T09:30:00+08:00';

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    await setUpClinics(t);
  });
  afterAll(() => t?.close());

  const settle = (terminal: string, body: Record<string, unknown>) => t.terminal(terminal).post('/v1/medical/settlements', body);
  const body = (settlementId: string, credential: Record<string, string>, items: unknown[], extra: Record<string, unknown> = {}) => ({
    settlementId,
    credential,
    visitType: 'OUTPATIENT',
    items,
    occurredAt: AT,
    ...extra,
  });
  const journal = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT decision, reason_code, rule_set_id, rule_version, subject, regions, legs, details FROM ledger.journal WHERE command_type = 'medical.settle' AND command_id = $1`,
        [id],
      )
    )[0];
  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM ledger.journal)::int AS journal, (SELECT count(*) FROM ledger.entries)::int AS entries, (SELECT count(*) FROM medical.settlements)::int AS settlements`,
      )
    )[0];

  describe('a Beijing employee at a Tianjin level-3 hospital (cross-region, personal account paying part)', () => {
    let cardNo: string;
    const items = [
      line(CODES.CBC, 2500), // A
      line(CODES.CT, 30_000), // A
      line(CODES.ATORVASTATIN, 3333, 3), // B: 9999, 10 % first = 999.9 → 1000 self-paid, 8999 in policy
      line(CODES.SPECIAL_NEEDS, 5000), // C
      line(CODES.UNKNOWN, 1234), // not in the Tianjin catalogue: C, flagged
      line(CODES.METFORMIN, 2000, 100), // A: 200000
    ];

    beforeAll(async () => {
      cardNo = await issueCard(t, { homeRegion: '11', scheme: 'EMPLOYEE' });
      await topUpPersonal(t, cardNo, 100_000);
    });

    it('splits by the Tianjin catalogue and the Beijing policy, and posts one group of three legs', async () => {
      const res = await settle(TERMINALS.TJ_L3, body('st-bj-1', { cardNo }, items));
      expect(res.status).toBe(200);
      // total = 2500 + 30000 + 9999 + 5000 + 1234 + 200000 = 248733
      // self-paid = 1000 (B share) + 5000 + 1234 = 7234; in policy = 241499
      // Beijing employee outpatient, L3, not community: deductible 180000 (fresh year), ratio 70 %:
      // fund = (241499 − 180000) × 70 % = 43049.3 → 43049 (floor); patient = 248733 − 43049 = 205684
      // personal account 100000 (its whole balance), cash 105684.
      expect(res.body).toMatchObject({
        decision: 'ALLOW',
        settlementId: 'st-bj-1',
        institutionId: CLINICS.TJ_L3.venueId,
        homeRegion: '11',
        treatmentRegion: '12',
        totalFen: 248_733,
        selfPaidFen: 7234,
        inPolicyFen: 241_499,
        deductibleFen: 180_000,
        fundFen: 43_049,
        personalAccountFen: 100_000,
        cashFen: 105_684,
        policy: {
          deductibleRule: 'YEARLY',
          deductibleFen: 180_000,
          deductibleRemainingFen: 180_000,
          ratioBp: 7000,
          yearlyCapFen: null,
          capRemainingFen: null,
          capReached: false,
          stayNumber: null,
        },
        ruleSet: { id: 'medical.policy.beijing', version: 1 },
        catalogue: { id: 'medical.catalogue.tianjin', version: 1 },
      });
      expect(res.body.reason).toBeUndefined();
      const lines = res.body.items as Record<string, number & string & boolean>[];
      expect(lines.map((i) => [i.code, i.category, i.notInCatalogue])).toEqual([
        [CODES.CBC, 'A', false],
        [CODES.CT, 'A', false],
        [CODES.ATORVASTATIN, 'B', false],
        [CODES.SPECIAL_NEEDS, 'C', false],
        [CODES.UNKNOWN, 'C', true],
        [CODES.METFORMIN, 'A', false],
      ]);
      expect(lines[2]).toMatchObject({ amountFen: 9999, selfPaidFen: 1000, inPolicyFen: 8999 });
      for (const i of lines) {
        expect(i.selfPaidFen + i.inPolicyFen).toBe(i.amountFen);
        expect(i.fundFen + i.personalAccountFen + i.cashFen).toBe(i.amountFen);
      }
      for (const key of ['selfPaidFen', 'inPolicyFen', 'deductibleFen', 'fundFen', 'personalAccountFen', 'cashFen'] as const) {
        expect(lines.reduce((s, i) => s + i[key], 0)).toBe(res.body[key]);
      }

      // Ledger: fund(home 11) → institution, personal account → institution, Tianjin patient cash → institution.
      expect(await balanceOf(t, 'fund:11:medical-pool')).toBe(-43_049);
      expect(await balanceOf(t, `card:${cardNo}:personal`)).toBe(0);
      expect(await balanceOf(t, 'external:patient-cash:12')).toBe(-105_684);
      expect(await balanceOf(t, `institution:${CLINICS.TJ_L3.venueId}:receivable`)).toBe(248_733);
      const j = await journal('st-bj-1');
      expect(j).toMatchObject({ decision: 'ALLOW', reason_code: null, rule_set_id: 'medical.policy.beijing', rule_version: 1, subject: cardNo, legs: 3 });
      expect([...j.regions].sort()).toEqual(['11', '12']);
      expect(j.details.facts).toMatchObject({
        catalogue: { id: 'medical.catalogue.tianjin', version: 1 },
        policy: { id: 'medical.policy.beijing', version: 1 },
        person: { homeRegion: '11', scheme: 'EMPLOYEE', retiree: false },
        accumulatorsBefore: { outpatientDeductibleFen: 0, outpatientFundFen: 0 },
        personalAccountBalanceFen: 100_000,
        institution: { venueId: CLINICS.TJ_L3.venueId, region: '12', level: 3, community: false, recognition: true },
      });
      expect(JSON.stringify(j.details)).not.toMatch(/王五|nationalId/);

      expect(await accumulatorsOf(t, cardNo)).toMatchObject({
        year: 2026,
        outpatientDeductibleFen: 180_000,
        outpatientFundFen: 43_049,
        inpatientStays: 0,
        settlements: 1,
      });
    });

    it('replays a retry with the same body and writes nothing; another body with the same id is 409', async () => {
      const before = await counts();
      const retry = await settle(TERMINALS.TJ_L3, body('st-bj-1', { cardNo }, items));
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.fundFen).toBe(43_049);
      expect(await counts()).toEqual(before);
      expect((await settle(TERMINALS.TJ_L3, body('st-bj-1', { cardNo }, [line(CODES.CBC, 2500)]))).status).toBe(409);
      expect(await counts()).toEqual(before);
    });

    it("pays the whole in-policy amount at the ratio once the year's deductible is used, and cash when the holder declines the account", async () => {
      await topUpPersonal(t, cardNo, 50_000);
      // 10000 in policy, deductible used up: 10000 × 70 % = 7000; patient 3000 all cash (account declined).
      const res = await settle(TERMINALS.TJ_L3, body('st-bj-2', { cardNo }, [line(CODES.METFORMIN, 10_000)], { usePersonalAccount: false }));
      expect(res.body).toMatchObject({
        decision: 'ALLOW',
        deductibleFen: 0,
        fundFen: 7000,
        personalAccountFen: 0,
        cashFen: 3000,
        policy: { deductibleRemainingFen: 0 },
      });
      expect(await balanceOf(t, `card:${cardNo}:personal`)).toBe(50_000);
      expect((await journal('st-bj-2')).legs).toBe(2);
    });

    it('replays the decision from the journal with the recorded rule versions', async () => {
      const res = await t.auditor.post('/v1/admin/decisions/st-bj-1/replay?type=medical.settle', {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ match: true, ruleSet: { id: 'medical.policy.beijing', version: 1 } });
    });
  });

  it('tags a local settlement with its one region only', async () => {
    const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
    // Tianjin resident at a Tianjin community centre (L1): deductible 60000; (100000 − 60000) × 55 % = 22000.
    const res = await settle(TERMINALS.TJ_L1, body('st-local', { cardNo }, [line(CODES.METFORMIN, 100_000)]));
    expect(res.body).toMatchObject({
      decision: 'ALLOW',
      deductibleFen: 60_000,
      fundFen: 22_000,
      cashFen: 78_000,
      personalAccountFen: 0,
      ruleSet: { id: 'medical.policy.tianjin', version: 1 },
    });
    expect((await journal('st-local')).regions).toEqual(['12']);
  });

  it("charges the first inpatient stay's deductible, then the later stays' (Tianjin employee, L3)", async () => {
    const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' });
    const stay = (id: string) =>
      settle(TERMINALS.TJ_L3, body(id, { cardNo }, [line(CODES.METFORMIN, 1_000_000, 2)], { visitType: 'INPATIENT', usePersonalAccount: false }));
    // First stay: (2000000 − 170000) × 80 % = 1464000.
    expect((await stay('st-stay-1')).body).toMatchObject({
      deductibleFen: 170_000,
      fundFen: 1_464_000,
      policy: { deductibleRule: 'FIRST_STAY', stayNumber: 1 },
    });
    // Second stay: (2000000 − 50000) × 80 % = 1560000.
    expect((await stay('st-stay-2')).body).toMatchObject({
      deductibleFen: 50_000,
      fundFen: 1_560_000,
      policy: { deductibleRule: 'LATER_STAY', stayNumber: 2 },
    });
    expect(await accumulatorsOf(t, cardNo)).toMatchObject({
      inpatientDeductibleFen: 220_000,
      inpatientFundFen: 3_024_000,
      inpatientStays: 2,
      outpatientFundFen: 0,
    });
  });

  it('cuts the fund at the yearly cap (Hebei resident at a Tianjin community centre: 90 %, cap 400 yuan)', async () => {
    const cardNo = await issueCard(t, { homeRegion: '13', scheme: 'RESIDENT' });
    // 30000 × 90 % = 27000 (cap left 40000); then 27000 again, but only 13000 of the cap is left.
    expect((await settle(TERMINALS.TJ_L1, body('st-cap-1', { cardNo }, [line(CODES.METFORMIN, 30_000)]))).body).toMatchObject({
      fundFen: 27_000,
      cashFen: 3000,
    });
    const second = await settle(TERMINALS.TJ_L1, body('st-cap-2', { cardNo }, [line(CODES.METFORMIN, 30_000)]));
    expect(second.body).toMatchObject({ fundFen: 13_000, cashFen: 17_000, policy: { yearlyCapFen: 40_000, capRemainingFen: 13_000, capReached: true } });
    const third = await settle(TERMINALS.TJ_L1, body('st-cap-3', { cardNo }, [line(CODES.METFORMIN, 30_000)]));
    expect(third.body).toMatchObject({ fundFen: 0, cashFen: 30_000 });
    expect((await journal('st-cap-3')).legs).toBe(1);
  });

  it('applies the retiree adjustments (Beijing employee retiree at the Beijing level-3 hospital: 1,300 yuan, 85 %)', async () => {
    const cardNo = await issueCard(t, { homeRegion: '11', scheme: 'EMPLOYEE', retiree: true });
    // (300000 − 130000) × 85 % = 144500.
    const res = await settle(TERMINALS.BJ_L3, body('st-retiree', { cardNo }, [line(CODES.METFORMIN, 300_000)]));
    expect(res.body).toMatchObject({
      deductibleFen: 130_000,
      fundFen: 144_500,
      ruleSet: { id: 'medical.policy.beijing' },
      catalogue: { id: 'medical.catalogue.beijing' },
    });
  });

  it('never uses one deductible twice: concurrent settlements of one person queue on the year', async () => {
    const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' });
    await topUpPersonal(t, cardNo, 30_000);
    // Four bills of 100000 at the Tianjin L3 hospital (deductible 80000, 55 %), two terminals at once.
    const answers = await Promise.all(
      [0, 1, 2, 3].map((k) => settle(k % 2 === 0 ? TERMINALS.TJ_L3 : TERMINALS.TJ_L3_B, body(`st-race-${k}`, { cardNo }, [line(CODES.METFORMIN, 100_000)]))),
    );
    expect(answers.every((a) => a.body.decision === 'ALLOW')).toBe(true);
    // Whatever the order: one bill takes the whole deductible (fund (100000 − 80000) × 55 % = 11000), the others none (55000 each).
    expect(answers.map((a) => a.body.deductibleFen).sort((a, b) => a - b)).toEqual([0, 0, 0, 80_000]);
    expect(answers.reduce((s, a) => s + a.body.fundFen, 0)).toBe(11_000 + 3 * 55_000);
    expect(answers.reduce((s, a) => s + a.body.personalAccountFen, 0)).toBe(30_000);
    expect(await accumulatorsOf(t, cardNo)).toMatchObject({ outpatientDeductibleFen: 80_000, outpatientFundFen: 176_000, settlements: 4 });
    expect(await balanceOf(t, `card:${cardNo}:personal`)).toBe(0);
  });

  describe('group commit (settlements by card number and by 医保码)', () => {
    const executor = () => t.get<CommandExecutor>(CommandExecutor);
    const codeFor = async (cardNo: string) => {
      const res = await t.terminal(await t.holderApp(cardNo)).post('/v1/holder/medical-codes', { cardNo });
      expect(res.body.decision).toBe('ALLOW');
      return res.body.code as string;
    };
    /** Two cards of one person: the cards context gives a person one live card at a time, so the second is made by hand. */
    const twoCardsOfOnePerson = async () => {
      const [first, second] = [await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' }), await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' })];
      await t.dataSource.query(`UPDATE cards.cards SET holder_id = (SELECT holder_id FROM cards.cards WHERE card_no = $1) WHERE card_no = $2`, [first, second]);
      return [first, second] as const;
    };
    // Every batch slot (4) held by a command that waits, so that the settlements sent meanwhile queue
    // and go into one batch when the slots free up (ADR 0012 "Group commit").
    const inOneBatch = async <T>(send: () => Promise<T>[]): Promise<T[]> => {
      const engine = executor();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const holds = [0, 1, 2, 3].map((k) =>
        engine
          .run({
            envelope: { type: 'test.medical-hold', id: `hold-${Date.now()}-${k}`, context: 'test', payload: {} },
            batchKeys: [`hold:${k}`],
            decide: async () => {
              await held;
              throw new Error('held: never committed');
            },
          })
          .catch(() => undefined),
      );
      const answers = send();
      for (let waited = 0; engine.queued < answers.length && waited < 10_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
      expect(engine.queued).toBe(answers.length);
      release();
      await Promise.all(holds);
      return Promise.all(answers);
    };
    const bill = [line(CODES.METFORMIN, 100_000)];

    it('commits settlements of different persons together, by card number and by 医保码, each as it would be alone', async () => {
      const alone = await settle(
        TERMINALS.TJ_L3,
        body('st-gc-alone', { cardNo: await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' }) }, bill, { usePersonalAccount: false }),
      );
      expect(alone.body.decision).toBe('ALLOW');
      const cards = await Promise.all([0, 1, 2, 3, 4, 5].map(() => issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' })));
      // Half of them show a 医保码: its card is known only once the code is used, in the batch's first round trip.
      const credentials = await Promise.all(
        cards.map(async (cardNo, k): Promise<Record<string, string>> => (k % 2 === 0 ? { cardNo } : { medicalCode: await codeFor(cardNo) })),
      );
      const before = { ...executor().stats };
      const answers = await inOneBatch(() =>
        credentials.map((credential, k) =>
          settle(k % 2 === 0 ? TERMINALS.TJ_L3 : TERMINALS.TJ_L3_B, body(`st-gc-${k}`, credential, bill, { usePersonalAccount: false })),
        ),
      );
      expect(executor().stats.batches - before.batches).toBe(1);
      expect(executor().stats.commands - before.commands).toBe(cards.length);
      expect(executor().stats.fallbacks - before.fallbacks).toBe(0);
      const amounts = ({ body: b }: { body: Record<string, unknown> }) => [b.decision, b.deductibleFen, b.fundFen, b.cashFen, b.totalFen];
      for (const a of answers) expect(amounts(a)).toEqual(amounts(alone));
      for (const [k, cardNo] of cards.entries()) {
        expect(await accumulatorsOf(t, cardNo)).toMatchObject({
          outpatientDeductibleFen: alone.body.deductibleFen,
          outpatientFundFen: alone.body.fundFen,
          settlements: 1,
        });
        expect((await journal(`st-gc-${k}`)).subject).toBe(cardNo);
      }
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM medical.settlements WHERE settlement_id LIKE 'st-gc-_'`);
      expect(n).toBe(cards.length);
    });

    it('never uses one deductible twice when two cards of one person meet in a batch: the batch runs again one by one', async () => {
      const [first, second] = await twoCardsOfOnePerson();
      const before = { ...executor().stats };
      const answers = await inOneBatch(() =>
        [first, second].map((cardNo, k) =>
          settle(TERMINALS.TJ_L3, body(`st-gc-same-${k}`, { cardNo }, [line(CODES.METFORMIN, 100_000)], { usePersonalAccount: false })),
        ),
      );
      expect(executor().stats.fallbacks - before.fallbacks).toBe(1);
      expect(answers.map((a) => a.body.decision)).toEqual(['ALLOW', 'ALLOW']);
      // Tianjin employee at the Tianjin L3 hospital: one bill takes the deductible 80000 ((100000 − 80000) × 55 % = 11000), the other none (55000).
      expect(answers.map((a) => a.body.deductibleFen).sort((a, b) => a - b)).toEqual([0, 80_000]);
      expect(await accumulatorsOf(t, first)).toMatchObject({ outpatientDeductibleFen: 80_000, outpatientFundFen: 11_000 + 55_000, settlements: 2 });
    });

    it('keeps a 医保码 settlement and a card-number settlement of one person apart in a batch, and the personal account pays once', async () => {
      const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'EMPLOYEE' });
      await topUpPersonal(t, cardNo, 30_000);
      const medicalCode = await codeFor(cardNo);
      const before = { ...executor().stats };
      const answers = await inOneBatch(() => [
        settle(TERMINALS.TJ_L3, body('st-gc-mixed-code', { medicalCode }, [line(CODES.METFORMIN, 100_000)])),
        settle(TERMINALS.TJ_L3_B, body('st-gc-mixed-card', { cardNo }, [line(CODES.METFORMIN, 100_000)])),
      ]);
      expect(executor().stats.fallbacks - before.fallbacks).toBe(1);
      expect(answers.map((a) => a.body.decision)).toEqual(['ALLOW', 'ALLOW']);
      expect(answers.map((a) => a.body.deductibleFen).sort((a, b) => a - b)).toEqual([0, 80_000]);
      expect(answers.reduce((s, a) => s + a.body.personalAccountFen, 0)).toBe(30_000);
      expect(await accumulatorsOf(t, cardNo)).toMatchObject({ outpatientDeductibleFen: 80_000, outpatientFundFen: 66_000, settlements: 2 });
      expect(await balanceOf(t, `card:${cardNo}:personal`)).toBe(0);
      expect((await journal('st-gc-mixed-code')).subject).toBe(cardNo);
    });

    it('keeps the accumulators exact when 医保码 and card-number settlements of one person race, from the first settlement of the year', async () => {
      const [first, second] = await twoCardsOfOnePerson();
      await topUpPersonal(t, first, 20_000);
      const codes = await Promise.all([0, 1, 2].map(() => codeFor(first)));
      // Nine bills of 100000 at once: three by 医保码 of the first card, three by its number, three by the second card's.
      const answers = await Promise.all([
        ...codes.map((medicalCode, k) => settle(TERMINALS.TJ_L3, body(`st-race-code-${k}`, { medicalCode }, [line(CODES.METFORMIN, 100_000)]))),
        ...[0, 1, 2].map((k) => settle(TERMINALS.TJ_L3_B, body(`st-race-card-${k}`, { cardNo: first }, [line(CODES.METFORMIN, 100_000)]))),
        ...[0, 1, 2].map((k) => settle(TERMINALS.TJ_L3, body(`st-race-other-${k}`, { cardNo: second }, [line(CODES.METFORMIN, 100_000)]))),
      ]);
      expect(answers.map((a) => a.status)).toEqual(Array(9).fill(200));
      expect(answers.every((a) => a.body.decision === 'ALLOW')).toBe(true);
      // One bill, whichever, takes the whole deductible of the year; every other bill gets the ratio on all of it.
      const deductibles = answers.map((a) => a.body.deductibleFen as number);
      expect(deductibles.filter((d) => d > 0)).toHaveLength(1);
      const year = await accumulatorsOf(t, first);
      expect(year).toMatchObject({
        outpatientDeductibleFen: deductibles.reduce((s, d) => s + d, 0),
        outpatientFundFen: answers.reduce((s, a) => s + a.body.fundFen, 0),
        settlements: 9,
      });
      expect(answers.reduce((s, a) => s + a.body.personalAccountFen, 0)).toBe(20_000);
      expect(await balanceOf(t, `card:${first}:personal`)).toBe(0);
    });
  });

  describe('the 医保码 (medical-insurance code) as credential', () => {
    let cardNo: string;
    const issueCode = async () => {
      const res = await t.terminal(await t.holderApp(cardNo)).post('/v1/holder/medical-codes', { cardNo });
      expect(res.body.decision).toBe('ALLOW');
      return res.body.code as string;
    };
    beforeAll(async () => {
      cardNo = await issueCard(t, { homeRegion: '13', scheme: 'EMPLOYEE' });
    });

    it('settles with a fresh code and refuses the same code again (MEDICAL_CODE_USED)', async () => {
      const medicalCode = await issueCode();
      const first = await settle(TERMINALS.TJ_L3, body('st-code-1', { medicalCode }, [line(CODES.METFORMIN, 20_000)]));
      expect(first.body).toMatchObject({ decision: 'ALLOW', homeRegion: '13', ruleSet: { id: 'medical.policy.hebei' } });
      expect((await journal('st-code-1')).subject).toBe(cardNo);
      const again = await settle(TERMINALS.TJ_L3, body('st-code-2', { medicalCode }, [line(CODES.METFORMIN, 20_000)]));
      expect(again.body).toMatchObject({ decision: 'DENY', reason: { code: 'MEDICAL_CODE_USED' }, totalFen: null, items: [] });
      expect(await journal('st-code-2')).toMatchObject({ decision: 'DENY', reason_code: 'MEDICAL_CODE_USED', legs: 0 });
      expect(JSON.stringify((await journal('st-code-1')).details)).not.toContain(medicalCode);
    });

    it('refuses an expired code (60 s) and an unknown one', async () => {
      const medicalCode = await issueCode();
      t.clock.advance(60_000);
      const expired = await settle(TERMINALS.TJ_L3, body('st-code-3', { medicalCode }, [line(CODES.METFORMIN, 20_000)]));
      expect(expired.body).toMatchObject({ decision: 'DENY', reason: { code: 'MEDICAL_CODE_EXPIRED' } });
      const unknown = await settle(TERMINALS.TJ_L3, body('st-code-4', { medicalCode: 'x'.repeat(20) }, [line(CODES.METFORMIN, 20_000)]));
      expect(unknown.body).toMatchObject({ decision: 'DENY', reason: { code: 'MEDICAL_CODE_UNKNOWN' } });
    });
  });

  describe('refusals: journaled DENY with a reason code, no money moved', () => {
    it.each([
      ['TEMPORARY_LOSS', 'CARD_LOST'],
      ['FORMAL_LOSS', 'CARD_LOST'],
      ['CANCEL', 'CARD_CANCELLED'],
      ['LOCK', 'CARD_LOCKED'],
    ])('refuses a card after %s with %s', async (operation, code) => {
      const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
      expect((await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation })).status).toBe(200);
      const id = `st-card-${operation}`;
      const res = await settle(TERMINALS.TJ_L3, body(id, { cardNo }, [line(CODES.METFORMIN, 20_000)]));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ decision: 'DENY', reason: { code }, totalFen: null, fundFen: null, cashFen: null, items: [], ruleSet: null });
      expect(await journal(id)).toMatchObject({ decision: 'DENY', reason_code: code, legs: 0, subject: cardNo });
    });

    it('refuses an unknown card, a sealed card and a replaced card', async () => {
      expect((await settle(TERMINALS.TJ_L3, body('st-unknown', { cardNo: 'T99999990' }, [line(CODES.METFORMIN, 1)]))).body.reason.code).toBe('CARD_UNKNOWN');
      expect((await journal('st-unknown')).reason_code).toBe('CARD_UNKNOWN');

      const sealed = await t.operator.post('/v1/admin/cards', {
        holder: {
          name: '钱七',
          nationalId: makeNationalId('120104', '1992-02-02', 901),
          birthDate: '1992-02-02',
          homeRegion: '12',
          scheme: 'RESIDENT',
          retiree: false,
        },
        issuingRegion: '12',
        generation: 3,
        transitApp: false,
        sealed: true,
      });
      expect(sealed.status).toBe(201);
      expect((await settle(TERMINALS.TJ_L3, body('st-sealed', { cardNo: sealed.body.cardNo }, [line(CODES.METFORMIN, 1)]))).body.reason.code).toBe(
        'CARD_NOT_ACTIVE',
      );

      const old = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
      await t.operator.post(`/v1/admin/cards/${old}/status`, { operation: 'FORMAL_LOSS' });
      expect((await t.operator.post(`/v1/admin/cards/${old}/replacement`, {})).status).toBe(201);
      expect((await settle(TERMINALS.TJ_L3, body('st-replaced', { cardNo: old }, [line(CODES.METFORMIN, 1)]))).body.reason.code).toBe('CARD_REPLACED');
    });

    it('refuses a settlement dated in the future (OCCURRED_IN_FUTURE) and one before any policy (MEDICAL_POLICY_NOT_IN_FORCE)', async () => {
      const cardNo = await issueCard(t, { homeRegion: '11', scheme: 'RESIDENT' });
      const now = t.clock.now().getTime();
      const future = new Date(now + 6 * 60_000).toISOString();
      expect((await settle(TERMINALS.TJ_L3, body('st-future', { cardNo }, [line(CODES.METFORMIN, 1)], { occurredAt: future }))).body).toMatchObject({
        decision: 'DENY',
        reason: { code: 'OCCURRED_IN_FUTURE' },
      });
      // Within the 5-minute tolerance it is accepted.
      expect(
        (
          await settle(
            TERMINALS.TJ_L3,
            body('st-near-future', { cardNo }, [line(CODES.METFORMIN, 1)], { occurredAt: new Date(now + 4 * 60_000).toISOString() }),
          )
        ).body.decision,
      ).toBe('ALLOW');
      const old = await settle(TERMINALS.TJ_L3, body('st-2025', { cardNo }, [line(CODES.METFORMIN, 1)], { occurredAt: '2025-12-31T23:59:59+08:00' }));
      expect(old.body).toMatchObject({ decision: 'DENY', reason: { code: 'MEDICAL_POLICY_NOT_IN_FORCE' }, homeRegion: '11', ruleSet: null });
      // 2026-01-01 00:00 in Beijing is in force (Asia/Shanghai days).
      expect(
        (await settle(TERMINALS.TJ_L3, body('st-2026', { cardNo }, [line(CODES.METFORMIN, 1)], { occurredAt: '2025-12-31T16:00:00Z' }))).body.decision,
      ).toBe('ALLOW');
    });
  });

  describe('who may settle', () => {
    it('answers 403 to terminals of another kind and writes nothing', async () => {
      const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
      const app = await t.holderApp(cardNo);
      const before = await counts();
      expect((await settle(TERMINALS.GATE, body('st-gate', { cardNo }, [line(CODES.METFORMIN, 1)]))).status).toBe(403);
      expect((await settle(app, body('st-app', { cardNo }, [line(CODES.METFORMIN, 1)]))).status).toBe(403);
      expect(await counts()).toEqual(before);
    });
  });

  describe('bad input: 400 problem+json naming each field, nothing written', () => {
    const valid = () => body('st-bad', { cardNo: 'T00000018' }, [line(CODES.METFORMIN, 100)]);
    it.each([
      ['no credential', { ...valid(), credential: {} }, ['/credential/cardNo']],
      ['both credentials', { ...valid(), credential: { cardNo: 'T00000018', medicalCode: 'a'.repeat(20) } }, ['/credential/medicalCode']],
      ['a malformed card number', { ...valid(), credential: { cardNo: 'X1' } }, ['/credential/cardNo']],
      ['no items', { ...valid(), items: [] }, ['/items']],
      ['a lowercase item code', { ...valid(), items: [line('abc1', 100)] }, ['/items/0/code']],
      ['quantity 0', { ...valid(), items: [{ code: CODES.METFORMIN, quantity: 0, unitPriceFen: 100 }] }, ['/items/0/quantity']],
      ['a negative price', { ...valid(), items: [{ code: CODES.METFORMIN, quantity: 1, unitPriceFen: -1 }] }, ['/items/0/unitPriceFen']],
      ['a fractional price', { ...valid(), items: [{ code: CODES.METFORMIN, quantity: 1, unitPriceFen: 10.5 }] }, ['/items/0/unitPriceFen']],
      [
        'a category sent by the terminal',
        { ...valid(), items: [{ code: CODES.METFORMIN, quantity: 1, unitPriceFen: 1, category: 'A' }] },
        ['/items/0/category'],
      ],
      [
        'an empty override reason',
        { ...valid(), items: [{ code: CODES.CBC, quantity: 1, unitPriceFen: 1, override: { reason: '' } }] },
        ['/items/0/override/reason'],
      ],
      ['an unknown visit type', { ...valid(), visitType: 'EMERGENCY' }, ['/visitType']],
      ['a time without offset', { ...valid(), occurredAt: '2026-03-02T09:30:00' }, ['/occurredAt']],
      ['a bad settlement id', { ...valid(), settlementId: 'has space' }, ['/settlementId']],
      ['an unknown field', { ...valid(), institutionId: 'CLN-B-L3' }, ['/institutionId']],
      ['a non-boolean usePersonalAccount', { ...valid(), usePersonalAccount: 'yes' }, ['/usePersonalAccount']],
    ])('refuses %s', async (_what, bad, pointers) => {
      const before = await counts();
      const res = await settle(TERMINALS.TJ_L3, bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
      expect(await counts()).toEqual(before);
    });
  });
});
