import { startTestApp, type TestApp } from '@test/support';
import { makeNationalId } from '../../domain/national-id.js';

describe('card status operations (real PostgreSQL)', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  async function issue(opts: { sealed?: boolean } = {}): Promise<string> {
    seq++;
    const res = await t.operator.post('/v1/admin/cards', {
      holder: {
        name: '李雷',
        nationalId: makeNationalId('110101', '1990-05-05', seq),
        birthDate: '1990-05-05',
        homeRegion: '11',
        scheme: 'RESIDENT',
        retiree: false,
      },
      issuingRegion: '11',
      generation: 3,
      transitApp: false,
      sealed: opts.sealed ?? false,
    });
    expect(res.status).toBe(201);
    return res.body.cardNo;
  }
  const op = (cardNo: string, operation: string) => t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation });
  const journal = async () =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'cards.change-status'`))[0].n);

  it('walks active → temporary loss → formal loss → cancel loss → active, each journaled with the card as subject', async () => {
    const cardNo = await issue();
    for (const [operation, previousStatus, status] of [
      ['TEMPORARY_LOSS', 'ACTIVE', 'TEMPORARY_LOSS'],
      ['FORMAL_LOSS', 'TEMPORARY_LOSS', 'FORMAL_LOSS'],
      ['CANCEL_LOSS', 'FORMAL_LOSS', 'ACTIVE'],
      ['LOCK', 'ACTIVE', 'APPLICATION_LOCKED'],
      ['UNLOCK', 'APPLICATION_LOCKED', 'ACTIVE'],
    ]) {
      const res = await op(cardNo, operation!);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ cardNo, operation, previousStatus, status });
    }
    const rows = await t.dataSource.query(
      `SELECT command_id, subject FROM ledger.journal WHERE command_type = 'cards.change-status' AND subject = $1 ORDER BY command_id`,
      [cardNo],
    );
    expect(rows.map((r: { command_id: string }) => r.command_id)).toEqual([1, 2, 3, 4, 5].map((v) => `${cardNo}.s${v}`));
    expect((await t.auditor.get(`/v1/admin/cards/${cardNo}`)).body.status).toBe('ACTIVE');
  });

  it('replays a retried operation instead of refusing it, and writes nothing new', async () => {
    const cardNo = await issue();
    const first = await op(cardNo, 'TEMPORARY_LOSS');
    const before = await journal();
    const retry = await op(cardNo, 'TEMPORARY_LOSS');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await journal()).toBe(before);
  });

  it('refuses an operation the status does not allow with 409, the current status and what is allowed, writing nothing', async () => {
    const cardNo = await issue();
    const before = await journal();
    const res = await op(cardNo, 'CANCEL_LOSS');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      type: '/problems/card-status-conflict',
      status: 409,
      cardNo,
      currentStatus: 'ACTIVE',
      operation: 'CANCEL_LOSS',
      allowedOperations: ['TEMPORARY_LOSS', 'FORMAL_LOSS', 'CANCEL', 'LOCK'],
    });
    expect((await op(cardNo, 'ACTIVATE')).status).toBe(409);
    expect(await journal()).toBe(before);
  });

  it('activates a sealed card, and keeps a cancelled card cancelled', async () => {
    const sealed = await issue({ sealed: true });
    expect((await op(sealed, 'TEMPORARY_LOSS')).body).toMatchObject({ currentStatus: 'SEALED', allowedOperations: ['ACTIVATE', 'CANCEL'] });
    expect((await op(sealed, 'ACTIVATE')).body).toMatchObject({ previousStatus: 'SEALED', status: 'ACTIVE' });
    expect((await op(sealed, 'CANCEL')).body).toMatchObject({ status: 'CANCELLED' });
    for (const operation of ['ACTIVATE', 'TEMPORARY_LOSS', 'FORMAL_LOSS', 'CANCEL_LOSS', 'LOCK', 'UNLOCK']) {
      const res = await op(sealed, operation);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ currentStatus: 'CANCELLED', allowedOperations: [] });
    }
  });

  it('answers 404 for an unknown card and 400 for an unknown operation or extra fields', async () => {
    expect((await op('B99999990', 'CANCEL')).status).toBe(404);
    const cardNo = await issue();
    const bad = await t.operator.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'BURN', why: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/operation', '/why']);
    expect((await t.auditor.post(`/v1/admin/cards/${cardNo}/status`, { operation: 'CANCEL' })).status).toBe(403);
  });
});
