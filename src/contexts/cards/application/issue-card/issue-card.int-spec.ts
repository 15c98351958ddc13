import { startTestApp, type TestApp } from '@test/support';
import { cardStatusRefusal } from '../../domain/card-status-refusal.rule.js';
import { makeNationalId } from '../../domain/national-id.js';
import { CardsFacade } from '../../public/cards-facade.js';

const holder = (over: Record<string, unknown> = {}) => ({
  name: '张三丰',
  nationalId: makeNationalId('120104', '1985-01-15', 123),
  birthDate: '1985-01-15',
  homeRegion: '12',
  scheme: 'EMPLOYEE',
  retiree: false,
  ...over,
});

describe('issuing cards (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await t.dataSource.query(sql, params))[0].n);
  const journal = (type = 'cards.issue') => count(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = $1`, [type]);

  it('issues a Tianjin third-generation employee card with the transit app: 201, masked, three accounts opened', async () => {
    const res = await t.operator.post('/v1/admin/cards', { holder: holder(), issuingRegion: '12', generation: 3, transitApp: true });
    expect(res.status).toBe(201);
    const card = res.body;
    expect(card.cardNo).toBe('T00000018'); // first Tianjin serial + Luhn digit
    expect(card.identificationCode).toMatch(/^120000D156000005[0-9A-F]{16}$/);
    expect(card).toMatchObject({ issuingRegion: '12', generation: 3, transitApp: true, status: 'ACTIVE', replaces: null, replacedBy: null });
    expect(card.holder).toMatchObject({
      name: '张**',
      nationalId: '120104********1230'.slice(0, 14) + makeNationalId('120104', '1985-01-15', 123).slice(-4),
      birthYear: 1985,
      homeRegion: '12',
      scheme: 'EMPLOYEE',
      retiree: false,
    });
    expect(card.holder.birthDate).toBeUndefined();
    expect(card.accounts).toEqual({
      bank: { code: 'card:T00000018:bank', balanceFen: 0 },
      transit: { code: 'card:T00000018:transit', balanceFen: 0 },
      personal: { code: 'card:T00000018:personal', balanceFen: 0 },
    });
    const accounts = await t.dataSource.query(`SELECT code, region, kind, balance_rule FROM ledger.accounts WHERE code LIKE 'card:T00000018:%' ORDER BY code`);
    expect(accounts).toEqual([
      { code: 'card:T00000018:bank', region: '12', kind: 'CARD_BANK', balance_rule: 'NON_NEGATIVE' },
      { code: 'card:T00000018:personal', region: '12', kind: 'CARD_PERSONAL', balance_rule: 'NON_NEGATIVE' },
      { code: 'card:T00000018:transit', region: '12', kind: 'CARD_TRANSIT', balance_rule: 'NON_NEGATIVE' },
    ]);
    expect((await t.auditor.get('/v1/admin/cards/T00000018')).body).toEqual(card);
  });

  it('shows other contexts the card through the facade: one lookup, no name or national ID', async () => {
    const facade = t.get<CardsFacade>(CardsFacade);
    const view = await facade.findCard('T00000018');
    expect(view).toEqual({
      cardNo: 'T00000018',
      issuingRegion: '12',
      generation: 3,
      status: 'ACTIVE',
      transitApp: true,
      holder: { holderId: expect.any(String), birthDate: '1985-01-15', homeRegion: '12', scheme: 'EMPLOYEE', retiree: false },
      accounts: { bank: 'card:T00000018:bank', transit: 'card:T00000018:transit', personal: 'card:T00000018:personal' },
    });
    expect(cardStatusRefusal(view)).toBeNull();
    expect(await facade.findCard('T99999990')).toBeNull();
    expect(cardStatusRefusal(null)?.code).toBe('CARD_UNKNOWN');
  });

  it('never stores the national ID in clear, nor journals it or the name', async () => {
    const id = makeNationalId('120104', '1985-01-15', 123);
    const dump = JSON.stringify(await t.dataSource.query(`SELECT h.*, j.* FROM cards.holders h, ledger.journal j`));
    expect(dump).not.toContain(id);
    expect(dump).not.toContain(id.slice(6, 14)); // not even the birth digits next to the masked ID
    const journal = JSON.stringify(await t.dataSource.query(`SELECT * FROM ledger.journal`));
    expect(journal).not.toContain('三丰');
    expect(journal).not.toContain('1985-01-15');
    const [h] = await t.dataSource.query(`SELECT national_id_hash, national_id_masked FROM cards.holders`);
    expect(h.national_id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(h.national_id_masked).toBe(`120104********${id.slice(-4)}`);
  });

  it('replays the same request (one card, one journal record) and refuses another card for a person holding one', async () => {
    const body = { holder: holder(), issuingRegion: '12', generation: 3, transitApp: true };
    const again = await t.operator.post('/v1/admin/cards', body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.cardNo).toBe('T00000018');
    const other = await t.operator.post('/v1/admin/cards', { ...body, transitApp: false, generation: 2 });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ cardNo: 'T00000018', currentStatus: 'ACTIVE' });
    expect(await count(`SELECT count(*)::int AS n FROM cards.cards`)).toBe(1);
    expect(await journal()).toBe(1);
  });

  it('issues a new card to a person whose card was cancelled', async () => {
    expect((await t.operator.post('/v1/admin/cards/T00000018/status', { operation: 'CANCEL' })).status).toBe(200);
    t.clock.advance(60_000);
    const res = await t.operator.post('/v1/admin/cards', { holder: holder({ homeRegion: '11' }), issuingRegion: '11', generation: 3, transitApp: false });
    expect(res.status).toBe(201);
    expect(res.body.cardNo).toBe('B00000018');
    expect(res.body.holder.holderId).toBe((await t.auditor.get('/v1/admin/cards/T00000018')).body.holder.holderId);
    expect(res.body.accounts.personal.code).toBe('card:B00000018:personal');
    const found = await t.operator.post('/v1/admin/cards/lookup', { nationalId: makeNationalId('120104', '1985-01-15', 123) });
    expect(found.body.map((c: { cardNo: string; status: string }) => [c.cardNo, c.status])).toEqual([
      ['T00000018', 'CANCELLED'],
      ['B00000018', 'ACTIVE'],
    ]);
  });

  it('gives residents no personal account and a sealed card when asked', async () => {
    const res = await t.operator.post('/v1/admin/cards', {
      holder: holder({ nationalId: makeNationalId('130102', '1950-06-01', 7), birthDate: '1950-06-01', homeRegion: '13', scheme: 'RESIDENT', retiree: true }),
      issuingRegion: '13',
      generation: 2,
      transitApp: false,
      sealed: true,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ cardNo: 'H00000018', status: 'SEALED' });
    expect(res.body.accounts).toEqual({ bank: { code: 'card:H00000018:bank', balanceFen: 0 }, transit: null, personal: null });
  });

  it.each([
    ['a wrong check character', { holder: holder({ nationalId: makeNationalId('120104', '1985-01-15', 5).slice(0, 17) + '0' }) }, ['/holder/nationalId']],
    ['birth digits that disagree with birthDate', { holder: holder({ nationalId: makeNationalId('120104', '1985-01-16', 5) }) }, ['/holder/nationalId']],
    [
      'a birth date in the future',
      { holder: holder({ nationalId: makeNationalId('120104', '2030-01-01', 5), birthDate: '2030-01-01' }) },
      ['/holder/birthDate'],
    ],
    [
      'the transit app on a Beijing card',
      { issuingRegion: '11', holder: holder({ nationalId: makeNationalId('110101', '1990-01-01', 1), birthDate: '1990-01-01' }) },
      ['/transitApp'],
    ],
    [
      'the transit app on a second-generation card',
      { generation: 2, holder: holder({ nationalId: makeNationalId('110101', '1990-01-01', 2), birthDate: '1990-01-01' }) },
      ['/transitApp'],
    ],
    [
      'wrong types and unknown fields',
      { generation: '3', issuingRegion: 12, extra: true, holder: { ...holder(), retiree: 'no', nick: 'x' } },
      ['/generation', '/issuingRegion', '/extra', '/holder/retiree', '/holder/nick'],
    ],
    ['a missing holder', { holder: undefined }, ['/holder']],
  ])('refuses %s with 400 naming the field, writing nothing', async (_what, over, pointers) => {
    const before = await journal();
    const cards = await count(`SELECT count(*)::int AS n FROM cards.cards`);
    const body: Record<string, unknown> = { holder: holder(), issuingRegion: '12', generation: 3, transitApp: true };
    const res = await t.operator.post('/v1/admin/cards', Object.assign(body, over));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
    expect(JSON.stringify(res.body)).not.toContain(makeNationalId('120104', '1985-01-15', 5).slice(0, 17));
    expect(await journal()).toBe(before);
    expect(await count(`SELECT count(*)::int AS n FROM cards.cards`)).toBe(cards);
  });

  it('answers 404 for an unknown card and 400 for a malformed card number', async () => {
    expect((await t.auditor.get('/v1/admin/cards/T99999990')).status).toBe(404);
    expect((await t.auditor.get('/v1/admin/cards/nope')).status).toBe(400);
  });
});
