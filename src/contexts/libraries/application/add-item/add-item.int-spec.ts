import { startTestApp, type TestApp } from '@test/support';
import { DESKS, LIBS, setUpLibraries } from '../../testing/fixtures.js';

describe('registering items (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await setUpLibraries(t, { TJ: 0, HP: 0, BJ: 0, CY: 0, HB: 0 });
  });
  afterAll(() => t?.close());

  it("registers an item with its owning library's network and region, journaled; idempotent by barcode", async () => {
    const body = { barcode: 'NEW-1', libraryId: LIBS.HEPING, title: '围城' };
    const res = await t.operator.post('/v1/admin/libraries/items', body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      barcode: 'NEW-1',
      title: '围城',
      libraryId: LIBS.HEPING,
      network: 'TIANJIN',
      region: '12',
      addedAt: '2026-03-02T08:00:00.000+08:00',
    });
    const retry = await t.operator.post('/v1/admin/libraries/items', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await t.operator.post('/v1/admin/libraries/items', { ...body, title: 'other' })).status).toBe(409);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = 'libraries.add-item'`);
    expect(n).toBe(1);
  });

  it('answers 400 for an unknown library, a library without a network, or a bad body; 403 for auditors', async () => {
    expect((await t.operator.post('/v1/admin/libraries/items', { barcode: 'X-1', libraryId: 'LIB-99-NONE', title: 'x' })).body.errors).toEqual([
      { pointer: '/libraryId', detail: expect.stringMatching(/no library/) },
    ]);
    expect((await t.operator.post('/v1/admin/libraries/items', { barcode: 'X-2', libraryId: LIBS.NO_NETWORK, title: 'x' })).status).toBe(400);
    const bad = await t.operator.post('/v1/admin/libraries/items', { barcode: 'bad code', libraryId: LIBS.HEPING, title: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/barcode', '/extra', '/title']);
    expect((await t.auditor.post('/v1/admin/libraries/items', { barcode: 'X-3', libraryId: LIBS.HEPING, title: 'x' })).status).toBe(403);
    expect((await t.terminal(DESKS.HEPING).post('/v1/admin/libraries/items', { barcode: 'X-4', libraryId: LIBS.HEPING, title: 'x' })).status).toBe(401);
  });
});
