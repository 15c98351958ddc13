import { CommandExecutor } from '@onecard/engine';
import { startTestApp, type TestApp } from '@test/support';
import { makeNationalId } from '../../domain/national-id.js';
import { CardsFacade, type MedicalCodeConsumption } from '../../public/cards-facade.js';

describe('医保码: issue and consume (real PostgreSQL, manual clock)', () => {
  let t: TestApp;
  let facade: CardsFacade;
  let executor: CommandExecutor;
  let cardNo: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T09:00:00+08:00' });
    facade = t.get(CardsFacade);
    executor = t.get(CommandExecutor);
    const res = await t.operator.post('/v1/admin/cards', {
      holder: {
        name: '王五',
        nationalId: makeNationalId('130102', '1960-07-07', 11),
        birthDate: '1960-07-07',
        homeRegion: '13',
        scheme: 'EMPLOYEE',
        retiree: true,
      },
      issuingRegion: '13',
      generation: 3,
      transitApp: false,
    });
    cardNo = res.body.cardNo;
    expect((await t.operator.post('/v1/admin/terminals', { terminalId: 'APP-1', kind: 'HOLDER_APP', cardNo })).status).toBe(201);
  });
  afterAll(() => t?.close());

  const app = () => t.terminal('APP-1');
  /** Consumes a code inside a command transaction, as the medical context will. */
  const consume = (code: string) => {
    const id = `c-${++n}`;
    return executor.run({
      envelope: { type: 'test.consume-code', id, context: 'test', payload: { n } },
      reads: { used: facade.medicalCodeRead(code, t.clock.now(), `test.consume-code:${id}`) },
      decide: ({ used: result }: { used: MedicalCodeConsumption }) => ({
        decision: 'ALLOW' as const,
        response: result.ok ? { ok: true, cardNo: result.card.cardNo, scheme: result.card.holder.scheme } : { ok: false, reason: result.reason.code },
      }),
    });
  };

  it('issues a fresh, unguessable code valid 60 s by the business clock, journaled without the code', async () => {
    const res = await app().post('/v1/holder/medical-codes', { cardNo });
    expect(res.status).toBe(200);
    expect(res.body.decision).toBe('ALLOW');
    expect(res.body.code).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(res.body.expiresAt).toBe('2026-03-02T09:01:00.000+08:00');
    const other = await app().post('/v1/holder/medical-codes', { cardNo });
    expect(other.body.code).not.toBe(res.body.code);
    const journal = JSON.stringify(await t.dataSource.query(`SELECT * FROM ledger.journal WHERE command_type = 'cards.issue-medical-code'`));
    expect(journal).not.toContain(res.body.code);
    expect(JSON.stringify(await t.dataSource.query(`SELECT * FROM cards.medical_codes`))).not.toContain(res.body.code);
  });

  it('is consumed once: the card, then MEDICAL_CODE_USED', async () => {
    const { code } = (await app().post('/v1/holder/medical-codes', { cardNo })).body;
    t.clock.advance(59_000);
    expect((await consume(code)).response).toEqual({ ok: true, cardNo, scheme: 'EMPLOYEE' });
    expect((await consume(code)).response).toEqual({ ok: false, reason: 'MEDICAL_CODE_USED' });
  });

  it('expires at 60 s and is unknown if never issued', async () => {
    const { code } = (await app().post('/v1/holder/medical-codes', { cardNo })).body;
    t.clock.advance(60_000);
    expect((await consume(code)).response).toEqual({ ok: false, reason: 'MEDICAL_CODE_EXPIRED' });
    expect((await consume('AAAAAAAAAAAAAAAAAAAA')).response).toEqual({ ok: false, reason: 'MEDICAL_CODE_UNKNOWN' });
  });

  it('stays unused when the consuming command rolls back', async () => {
    const { code } = (await app().post('/v1/holder/medical-codes', { cardNo })).body;
    await expect(
      executor.run({
        envelope: { type: 'test.consume-code', id: 'rolled-back', context: 'test', payload: {} },
        reads: { used: facade.medicalCodeRead(code, t.clock.now(), 'x') },
        decide: () => {
          throw new Error('settlement failed');
        },
      }),
    ).rejects.toThrow('settlement failed');
    expect((await consume(code)).response).toMatchObject({ ok: true });
  });

  it('is refused for a card that may not be used (DENY with the card reason), and for any card but its own (403)', async () => {
    expect((await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'TEMPORARY_LOSS' })).status).toBe(200);
    const lost = await app().post('/v1/holder/medical-codes', { cardNo });
    expect(lost.status).toBe(200);
    expect(lost.body).toEqual({ decision: 'DENY', reason: { code: 'CARD_LOST', message: 'The card has been reported lost.' } });
    const other = await app().post('/v1/holder/medical-codes', { cardNo: 'H99999990' });
    expect(other.status).toBe(403);
    const denies = await t.dataSource.query(
      `SELECT reason_code FROM ledger.journal WHERE command_type = 'cards.issue-medical-code' AND decision = 'DENY' ORDER BY reason_code`,
    );
    expect(denies.map((d: { reason_code: string }) => d.reason_code)).toEqual(['CARD_LOST']);
  });

  it('validates the card number', async () => {
    const bad = await app().post('/v1/holder/medical-codes', { cardNo: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ pointer: '/cardNo', detail: expect.stringContaining('cardNo') }]);
  });
});
