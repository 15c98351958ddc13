import { startTestApp, type TestApp } from '@test/support';
import { DEMO_CARDS } from '../demo-cards.js';
import { holderAppOf } from '../demo-venues.js';
import { SeedRunner } from '../seed.runner.js';

// The seed runs at the test clock, Tuesday 2026-03-03 08:00.
describe('seeded scenic spots and museums (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-03T08:00:00+08:00' });
    await t.get<SeedRunner>(SeedRunner).run({ log: () => undefined });
  });
  afterAll(() => t?.close());

  it('configures every demo spot from its registry attributes, with a capacity', async () => {
    const spots = await t.auditor.get('/v1/admin/scenic/spots');
    expect(spots.body).toHaveLength(9);
    expect(spots.body.find((s: { spotId: string }) => s.spotId === 'SCN-11-SUMMER')).toMatchObject({
      region: '11',
      spotType: 'PARK',
      basePriceFen: 3000,
      dailyCapacity: 30_000,
      participation: ['BJ_PARK_ANNUAL'],
    });
  });

  it('admits seeded seniors by their region rules at seeded gates', async () => {
    // 陈国华, Beijing retiree born 1960-02-14: 66, free at a Beijing park.
    const bj = await t
      .terminal('SCN-11-SUMMER-G1')
      .post('/v1/scenic/taps', { tapId: 'seed-scn-1', cardNo: DEMO_CARDS.beijingRetiree, tappedAt: '2026-03-03T08:00:00+08:00' });
    expect(bj.body).toMatchObject({ decision: 'ALLOW', priceFen: 0, concession: { code: 'SENIOR_60_FREE' } });
    // 刘淑珍, Tianjin, born 1954-01-20: 72, free at a Tianjin scenic area.
    const tj = await t
      .terminal('SCN-12-PANSHAN-G1')
      .post('/v1/scenic/taps', { tapId: 'seed-scn-2', cardNo: DEMO_CARDS.tianjinSenior, tappedAt: '2026-03-03T08:00:00+08:00' });
    expect(tj.body).toMatchObject({ decision: 'ALLOW', priceFen: 0, concession: { code: 'SENIOR_70_FREE' } });
  });

  it('opens every demo museum for booking and admits at its gate', async () => {
    const museums = await t.auditor.get('/v1/admin/museums');
    expect(museums.body.map((m: { museumId: string; slotQuota: number }) => [m.museumId, m.slotQuota])).toEqual([
      ['MUS-11-CAPITAL', 2000],
      ['MUS-11-NATIONAL', 3000],
      ['MUS-12-TIANJIN', 1500],
      ['MUS-13-HEBEI', 1500],
    ]);
    const booked = await t.terminal(holderAppOf(DEMO_CARDS.beijingEmployee)).post('/v1/museums/reservations', {
      reservationId: 'seed-rsv-1',
      cardNo: DEMO_CARDS.beijingEmployee,
      museumId: 'MUS-11-NATIONAL',
      date: '2026-03-03',
      slot: '09:00',
    });
    expect(booked.body).toMatchObject({ decision: 'ALLOW', slot: { start: '09:00', end: '11:00' } });
    t.clock.set('2026-03-03T08:30:00+08:00');
    const entered = await t
      .terminal('MUS-11-NATIONAL-G1')
      .post('/v1/museums/taps', { tapId: 'seed-mus-1', cardNo: DEMO_CARDS.beijingEmployee, tappedAt: '2026-03-03T08:30:00+08:00' });
    expect(entered.body).toMatchObject({ decision: 'ALLOW', reservationId: 'seed-rsv-1' });
  });
});
