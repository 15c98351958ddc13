import { startTestApp, type TestApp } from '@test/support';
import { makeNationalId } from '../../domain/national-id.js';
import { CardBulkLoader } from '../../public/card-bulk-loader.js';

describe('replacing a lost card (real PostgreSQL)', () => {
  let t: TestApp;
  let loader: CardBulkLoader;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp();
    loader = t.get(CardBulkLoader);
  });
  afterAll(() => t?.close());

  /** A Tianjin 3rd-generation employee card with the transit app, funded on all three accounts. */
  async function fundedCard(): Promise<string> {
    seq++;
    const [cardNo] = await loader.issue([
      {
        holder: {
          name: '韩梅梅',
          nationalId: makeNationalId('120101', '1980-03-03', seq),
          birthDate: '1980-03-03',
          homeRegion: '12',
          scheme: 'EMPLOYEE',
          retiree: false,
        },
        issuingRegion: '12',
        generation: 3,
        transitApp: true,
        status: 'ACTIVE',
      },
    ]);
    await loader.fund(`fund-${cardNo}`, [
      { cardNo: cardNo!, account: 'TRANSIT', amountFen: 50_000 },
      { cardNo: cardNo!, account: 'BANK', amountFen: 12_345 },
      { cardNo: cardNo!, account: 'PERSONAL', amountFen: 80_000 },
    ]);
    return cardNo!;
  }
  const op = (cardNo: string, operation: string) => t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation });
  const balance = async (code: string) =>
    Number((await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = $1`, [code]))[0].b);

  it('needs a formal loss report first (409, nothing written)', async () => {
    const cardNo = await fundedCard();
    const res = await t.operator.post(`/v1/admin/cards/${cardNo}/replacement`, {});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: '/problems/card-status-conflict', currentStatus: 'ACTIVE', operation: 'REPLACE' });
    await op(cardNo, 'TEMPORARY_LOSS');
    expect((await t.operator.post(`/v1/admin/cards/${cardNo}/replacement`, {})).body.currentStatus).toBe('TEMPORARY_LOSS');
    expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM cards.cards WHERE replaces = $1`, [cardNo]))[0].n)).toBe(0);
  });

  it('issues an active replacement: old card REPLACED, every balance moved by journaled transfers, retry replayed', async () => {
    const old = await fundedCard();
    await op(old, 'FORMAL_LOSS');
    const res = await t.operator.post(`/v1/admin/cards/${old}/replacement`, {});
    expect(res.status).toBe(201);
    const neu = res.body.card.cardNo as string;
    expect(res.body).toMatchObject({ replacedCardNo: old, movedFen: { bank: 12_345, transit: 50_000, personal: 80_000 } });
    expect(res.body.card).toMatchObject({ status: 'ACTIVE', replaces: old, generation: 3, transitApp: true });
    expect(res.body.card.accounts.transit).toEqual({ code: `card:${neu}:transit`, balanceFen: 50_000 });
    expect((await t.auditor.get(`/v1/admin/cards/${old}`)).body).toMatchObject({ status: 'REPLACED', replacedBy: neu });
    for (const kind of ['bank', 'transit', 'personal']) expect(await balance(`card:${old}:${kind}`)).toBe(0);
    expect(await balance(`card:${neu}:transit`)).toBe(50_000);
    expect(await balance(`card:${neu}:personal`)).toBe(80_000);
    const entries = await t.dataSource.query(
      `SELECT account_code, amount FROM ledger.entry_journal WHERE command_type = 'cards.replace' ORDER BY account_code`,
    );
    expect(entries).toHaveLength(6);
    expect(entries.reduce((s: number, e: { amount: number }) => s + Number(e.amount), 0)).toBe(0);

    const retry = await t.operator.post(`/v1/admin/cards/${old}/replacement`, {});
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.card.cardNo).toBe(neu);
    // The replaced card is final; the replacement works like any card.
    expect((await op(old, 'CANCEL_LOSS')).body).toMatchObject({ currentStatus: 'REPLACED', allowedOperations: [] });
    expect((await t.operator.post(`/v1/admin/cards/${old}/replacement`, { sealed: true })).status).toBe(409);
    expect((await op(neu, 'TEMPORARY_LOSS')).status).toBe(200);
  });

  it('issues a sealed replacement: the old card stays lost until ACTIVATE replaces it and moves the money', async () => {
    const old = await fundedCard();
    await op(old, 'FORMAL_LOSS');
    const res = await t.operator.post(`/v1/admin/cards/${old}/replacement`, { sealed: true });
    expect(res.status).toBe(201);
    const neu = res.body.card.cardNo as string;
    expect(res.body.card.status).toBe('SEALED');
    expect(res.body.movedFen).toEqual({ bank: 0, transit: 0, personal: 0 });
    expect(await balance(`card:${old}:transit`)).toBe(50_000);
    // While it is pending, the old card's loss cannot be cancelled, nor a second replacement made.
    expect((await op(old, 'CANCEL_LOSS')).status).toBe(409);
    expect((await op(old, 'CANCEL')).status).toBe(409);
    expect((await t.operator.post(`/v1/admin/cards/${old}/replacement`, {})).status).toBe(409);

    const activated = await op(neu, 'ACTIVATE');
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'ACTIVE', replaced: { cardNo: old, movedFen: { bank: 12_345, transit: 50_000, personal: 80_000 } } });
    expect((await t.auditor.get(`/v1/admin/cards/${old}`)).body.status).toBe('REPLACED');
    expect(await balance(`card:${old}:transit`)).toBe(0);
    expect(await balance(`card:${neu}:bank`)).toBe(12_345);
  });

  it('lets a sealed replacement be cancelled, after which the old card can be replaced again', async () => {
    const old = await fundedCard();
    await op(old, 'FORMAL_LOSS');
    const first = (await t.operator.post(`/v1/admin/cards/${old}/replacement`, { sealed: true })).body.card.cardNo;
    expect((await op(first, 'CANCEL')).status).toBe(200);
    const second = await t.operator.post(`/v1/admin/cards/${old}/replacement`, {});
    expect(second.status).toBe(201);
    expect(second.body.card.cardNo).not.toBe(first);
    expect(second.body.movedFen.transit).toBe(50_000);
  });

  it('refuses dropping the transit wallet, downgrading, or the app where the product has none (400)', async () => {
    const old = await fundedCard();
    await op(old, 'FORMAL_LOSS');
    const res = await t.operator.post(`/v1/admin/cards/${old}/replacement`, { transitApp: false, generation: 2 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/generation', '/transitApp']);
    expect((await t.operator.post(`/v1/admin/cards/${old}/replacement`, { colour: 'red' })).status).toBe(400);
    expect((await t.operator.post(`/v1/admin/cards/T99999990/replacement`, {})).status).toBe(404);
  });
});
