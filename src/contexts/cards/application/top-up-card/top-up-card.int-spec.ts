import { startTestApp, type TestApp } from '@test/support';
import { makeNationalId } from '../../domain/national-id.js';

describe('top-ups (real PostgreSQL, limits from rule data)', () => {
  let t: TestApp;
  let tianjin: string;
  let beijingResident: string;

  beforeAll(async () => {
    t = await startTestApp();
    const issue = async (holder: Record<string, unknown>, issuingRegion: string, transitApp: boolean) =>
      (await t.operator.post('/v1/admin/cards', { holder: { name: '赵六', retiree: false, ...holder }, issuingRegion, generation: 3, transitApp })).body
        .cardNo as string;
    tianjin = await issue({ nationalId: makeNationalId('120102', '1988-08-08', 1), birthDate: '1988-08-08', homeRegion: '12', scheme: 'EMPLOYEE' }, '12', true);
    beijingResident = await issue(
      { nationalId: makeNationalId('110102', '1970-01-01', 2), birthDate: '1970-01-01', homeRegion: '11', scheme: 'RESIDENT' },
      '11',
      false,
    );
  });
  afterAll(() => t?.close());

  const topUp = (cardNo: string, topUpId: string, account: string, amountFen: number) =>
    t.operator.post(`/v1/admin/cards/${cardNo}/top-ups`, { topUpId, account, amountFen });
  const balance = async (code: string) =>
    Number((await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = $1`, [code]))[0].b);
  const journalCount = async () => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'cards.top-up'`))[0].n);

  it("moves money from the region's cash-in account into the transit wallet, with the rule set recorded", async () => {
    const res = await topUp(tianjin, 'tu-1', 'TRANSIT', 50_000);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      topUpId: 'tu-1',
      cardNo: tianjin,
      account: 'TRANSIT',
      amountFen: 50_000,
      balanceFen: 50_000,
      ruleSet: { id: 'cards.top-up-limits.tianjin', version: 1 },
    });
    expect(await balance(`card:${tianjin}:transit`)).toBe(50_000);
    expect(await balance('external:cash-in:12')).toBe(-50_000);
    const [j] = await t.dataSource.query(
      `SELECT decision, subject, rule_set_id, rule_version FROM ledger.journal WHERE command_type = 'cards.top-up' AND command_id = 'tu-1'`,
    );
    expect(j).toEqual({ decision: 'ALLOW', subject: tianjin, rule_set_id: 'cards.top-up-limits.tianjin', rule_version: 1 });
  });

  it('is idempotent by topUpId: a retry replays and moves nothing; another body is 409', async () => {
    const retry = await topUp(tianjin, 'tu-1', 'TRANSIT', 50_000);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.balanceFen).toBe(50_000);
    expect(await balance(`card:${tianjin}:transit`)).toBe(50_000);
    expect((await topUp(tianjin, 'tu-1', 'TRANSIT', 60_000)).status).toBe(409);
  });

  it("tops up bank and personal accounts, the personal one from the home region's contributions", async () => {
    expect((await topUp(tianjin, 'tu-bank', 'BANK', 100)).body.decision).toBe('ALLOW');
    expect((await topUp(tianjin, 'tu-personal', 'PERSONAL', 20_000)).body.balanceFen).toBe(20_000);
    expect(await balance('external:medical-contributions:12')).toBe(-20_000);
  });

  it.each([
    ['tu-low', 'TRANSIT', 29_999, 'TOP_UP_BELOW_MINIMUM', 50_000],
    ['tu-high', 'TRANSIT', 500_001, 'TOP_UP_ABOVE_MAXIMUM', 50_000],
    ['tu-cap', 'TRANSIT', 450_001, 'BALANCE_CAP_EXCEEDED', 50_000],
    ['tu-bank-low', 'BANK', 99, 'TOP_UP_BELOW_MINIMUM', 100],
  ])('refuses %s (%s %i fen) with a journaled DENY %s and moves nothing', async (id, account, amount, code, balanceFen) => {
    const before = await balance(`card:${tianjin}:${account.toLowerCase()}`);
    const res = await topUp(tianjin, id, account, amount);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'DENY', reason: { code }, balanceFen, ruleSet: { id: 'cards.top-up-limits.tianjin', version: 1 } });
    expect(await balance(`card:${tianjin}:${account.toLowerCase()}`)).toBe(before);
    const [j] = await t.dataSource.query(`SELECT decision, reason_code FROM ledger.journal WHERE command_type = 'cards.top-up' AND command_id = $1`, [id]);
    expect(j).toEqual({ decision: 'DENY', reason_code: code });
  });

  it('fills the wallet exactly to the 5,000-yuan cap', async () => {
    const res = await topUp(tianjin, 'tu-to-cap', 'TRANSIT', 450_000);
    expect(res.body).toMatchObject({ decision: 'ALLOW', balanceFen: 500_000 });
  });

  it('refuses accounts the card does not have, and unusable or unknown cards', async () => {
    expect((await topUp(beijingResident, 'tu-r1', 'TRANSIT', 50_000)).body.reason.code).toBe('NO_TRANSIT_APPLICATION');
    expect((await topUp(beijingResident, 'tu-r2', 'PERSONAL', 50_000)).body.reason.code).toBe('NO_PERSONAL_ACCOUNT');
    expect((await topUp('B99999990', 'tu-r3', 'BANK', 500)).body).toMatchObject({ decision: 'DENY', reason: { code: 'CARD_UNKNOWN' }, balanceFen: null });
    await t.operator.post(`/v1/admin/cards/${beijingResident}/status`, { operation: 'TEMPORARY_LOSS' });
    expect((await topUp(beijingResident, 'tu-r4', 'BANK', 500)).body.reason.code).toBe('CARD_LOST');
  });

  it.each([
    [{ topUpId: 'bad id', account: 'TRANSIT', amountFen: 100 }, ['/topUpId']],
    [{ topUpId: 'x1', account: 'CASH', amountFen: 100 }, ['/account']],
    [{ topUpId: 'x2', account: 'BANK', amountFen: -5 }, ['/amountFen']],
    [{ topUpId: 'x3', account: 'BANK', amountFen: 0 }, ['/amountFen']],
    [{ topUpId: 'x4', account: 'BANK', amountFen: 10.5 }, ['/amountFen']],
    [{ topUpId: 'x5', account: 'BANK', amountFen: '100' }, ['/amountFen']],
    [{ topUpId: 'x6', account: 'BANK', amountFen: 100, note: 'hi' }, ['/note']],
    [{}, ['/topUpId', '/account', '/amountFen']],
  ])('answers 400 naming each bad field of %j and journals nothing', async (body, pointers) => {
    const before = await journalCount();
    const res = await t.operator.post(`/v1/admin/cards/${tianjin}/top-ups`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
    expect(await journalCount()).toBe(before);
  });

  it('keeps money whole under racing top-ups against the cap', async () => {
    const [cardNo] = [
      (
        await t.operator.post('/v1/admin/cards', {
          holder: {
            name: '孙七',
            nationalId: makeNationalId('120103', '1992-02-02', 3),
            birthDate: '1992-02-02',
            homeRegion: '12',
            scheme: 'RESIDENT',
            retiree: false,
          },
          issuingRegion: '12',
          generation: 3,
          transitApp: true,
        })
      ).body.cardNo as string,
    ];
    // Ten 1,000-yuan top-ups race for a 5,000-yuan cap: exactly five fit.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => topUp(cardNo, `race-${i}`, 'TRANSIT', 100_000)));
    expect(answers.filter((a) => a.body.decision === 'ALLOW')).toHaveLength(5);
    expect(answers.filter((a) => a.body.reason?.code === 'BALANCE_CAP_EXCEEDED')).toHaveLength(5);
    expect(await balance(`card:${cardNo}:transit`)).toBe(500_000);
  });
});
