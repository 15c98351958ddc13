import { CardsFacade } from '@contexts/cards';
import type { CommandResult } from '@onecard/engine';
import { RuleBook } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import { balanceOf, createSpot, heldExecutor, issueCard } from '../../testing/fixtures.js';
import { TapScenicGateCommand } from '../tap-scenic-gate/tap-scenic-gate.command.js';
import { TapScenicGateHandler } from '../tap-scenic-gate/tap-scenic-gate.handler.js';
import { BuyAnnualPassCommand } from './buy-annual-pass.command.js';
import { BuyAnnualPassHandler } from './buy-annual-pass.handler.js';

describe('annual passes (real PostgreSQL, products from rules/scenic)', () => {
  let t: TestApp;
  let parkGate: string; // Beijing park in the BJ_PARK_ANNUAL programme
  let wallGate: string; // Tianjin scenic area in the JJJ_SCENIC programme
  let holder: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    parkGate = await createSpot(t, { spotId: 'P-PARK', region: '11', spotType: 'PARK', basePriceFen: 3000, participation: ['BJ_PARK_ANNUAL'] });
    wallGate = await createSpot(t, { spotId: 'P-WALL', region: '12', spotType: 'SCENIC_AREA', basePriceFen: 5000, participation: ['JJJ_SCENIC'] });
    holder = await issueCard(t, { birthDate: '1985-07-07', region: '12', bankFen: 50_000 });
  });
  afterAll(() => t?.close());

  const buy = (cardNo: string, body: Record<string, unknown>) =>
    t.operator.post(`/v1/admin/cards/${cardNo}/annual-passes`, { purchaseId: `buy-${++n}`, ...body });
  const tap = (gate: string, cardNo: string, tappedAt = '2026-03-02T10:00:00+08:00') =>
    t.terminal(gate).post('/v1/scenic/taps', { tapId: `ptap-${++n}`, cardNo, tappedAt });

  it('sells the Beijing park pass to a Tianjin card at the counter, paid from the bank account, valid to 31 January next year', async () => {
    const res = await buy(holder, { purchaseId: 'park-pass', passCode: 'BJ_PARK_ANNUAL' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      decision: 'ALLOW',
      purchaseId: 'park-pass',
      cardNo: holder,
      passCode: 'BJ_PARK_ANNUAL',
      region: '11',
      passId: 'park-pass',
      priceFen: 10_000,
      validFrom: '2026-03-02',
      validUntil: '2027-01-31',
      balanceFen: 40_000,
      ruleSet: { id: 'scenic.admission.beijing', version: 1 },
    });
    expect(await balanceOf(t, `card:${holder}:bank`)).toBe(40_000);
    expect(await balanceOf(t, 'pass:11:BJ_PARK_ANNUAL:revenue')).toBe(10_000);
    const retry = await buy(holder, { purchaseId: 'park-pass', passCode: 'BJ_PARK_ANNUAL' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await balanceOf(t, `card:${holder}:bank`)).toBe(40_000);
  });

  it('admits the pass holder free at a participating spot, not at a spot of another programme', async () => {
    expect((await tap(parkGate, holder)).body).toMatchObject({ decision: 'ALLOW', priceFen: 0, concession: { kind: 'ANNUAL_PASS', code: 'BJ_PARK_ANNUAL' } });
    expect((await tap(wallGate, holder)).body).toMatchObject({ decision: 'ALLOW', priceFen: 5000 });
    expect(await balanceOf(t, `card:${holder}:bank`)).toBe(35_000);
  });

  it('refuses the same pass for the same period, a pass nobody sells, and a region that does not sell it', async () => {
    expect((await buy(holder, { passCode: 'BJ_PARK_ANNUAL' })).body).toMatchObject({ decision: 'DENY', reason: { code: 'PASS_ALREADY_HELD' }, region: '11' });
    expect((await buy(holder, { passCode: 'NO_SUCH_PASS' })).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'PASS_NOT_SOLD' },
      region: null,
      ruleSet: null,
    });
    expect((await buy(holder, { passCode: 'JJJ_JOINT_ANNUAL', region: '12' })).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'PASS_NOT_SOLD' },
      ruleSet: { id: 'scenic.admission.tianjin', version: 1 },
    });
    expect(await balanceOf(t, `card:${holder}:bank`)).toBe(35_000);
  });

  it('sells the joint card from the holder app; it admits at Jing-Jin-Ji scenic areas in another region', async () => {
    const res = await t
      .terminal(await t.holderApp(holder))
      .post('/v1/holder/annual-passes', { purchaseId: 'app-joint', cardNo: holder, passCode: 'JJJ_JOINT_ANNUAL' });
    expect(res.body).toMatchObject({ decision: 'ALLOW', priceFen: 20_000, region: '11', validUntil: '2027-01-31', balanceFen: 15_000 });
    t.clock.set('2026-03-03T10:00:00+08:00');
    expect((await tap(wallGate, holder, '2026-03-03T10:00:00+08:00')).body).toMatchObject({
      decision: 'ALLOW',
      priceFen: 0,
      concession: { code: 'JJJ_JOINT_ANNUAL' },
    });
    const [j] = await t.dataSource.query(
      `SELECT terminal_id, actor FROM ledger.journal WHERE command_type = 'scenic.buy-annual-pass' AND command_id = 'app-joint'`,
    );
    expect(j).toEqual({ terminal_id: `APP-${holder}`, actor: null });
  });

  it('admits on the last valid day, 31 January, and charges from 1 February', async () => {
    t.clock.set('2027-01-31T12:00:00+08:00');
    expect((await tap(parkGate, holder, '2027-01-31T12:00:00+08:00')).body).toMatchObject({ priceFen: 0, concession: { kind: 'ANNUAL_PASS' } });
    t.clock.set('2027-02-01T12:00:00+08:00');
    expect((await tap(parkGate, holder, '2027-02-01T12:00:00+08:00')).body).toMatchObject({ decision: 'ALLOW', priceFen: 3000 });
  });

  it('belongs to the holder: a replacement card keeps it', async () => {
    t.clock.set('2026-06-01T10:00:00+08:00');
    await t.operator.post(`/v1/admin/cards/${holder}/status`, { operation: 'FORMAL_LOSS' });
    const replaced = await t.operator.post(`/v1/admin/cards/${holder}/replacement`, {});
    expect(replaced.status).toBe(201);
    const newCard = replaced.body.card.cardNo as string;
    expect((await tap(parkGate, newCard, '2026-06-01T10:00:00+08:00')).body).toMatchObject({
      decision: 'ALLOW',
      priceFen: 0,
      concession: { kind: 'ANNUAL_PASS' },
    });
    expect((await tap(parkGate, holder, '2026-06-01T10:01:00+08:00')).body).toMatchObject({ decision: 'DENY', reason: { code: 'CARD_REPLACED' } });
    const list = await t.auditor.get(`/v1/admin/cards/${newCard}/annual-passes`);
    expect(list.body.map((p: { passCode: string; boughtWithCard: string }) => [p.passCode, p.boughtWithCard]).sort()).toEqual([
      ['BJ_PARK_ANNUAL', holder],
      ['JJJ_JOINT_ANNUAL', holder],
    ]);
  });

  it('refuses a short bank balance and unusable cards, and replays the sale decisions', async () => {
    const poor = await issueCard(t, { birthDate: '1990-01-01', bankFen: 9_999 });
    expect((await buy(poor, { purchaseId: 'poor-pass', passCode: 'BJ_PARK_ANNUAL' })).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE' },
      balanceFen: 9_999,
    });
    expect((await buy('T99999991', { purchaseId: 'ghost-pass', passCode: 'BJ_PARK_ANNUAL' })).body).toMatchObject({
      decision: 'DENY',
      reason: { code: 'CARD_UNKNOWN' },
    });
    for (const id of ['park-pass', 'app-joint', 'poor-pass', 'ghost-pass']) {
      const replay = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=scenic.buy-annual-pass`, {});
      expect({ id, status: replay.status, match: replay.body.match }).toEqual({ id, status: 200, match: true });
    }
    expect((await t.operator.post(`/v1/admin/cards/${poor}/annual-passes`, { purchaseId: 'bad id!', passCode: 'bj' })).status).toBe(400);
  });

  /** Sales and taps on an executor with one held batch slot: what queues meanwhile forms batches. */
  const heldCounter = () => {
    const { executor, start } = heldExecutor(t);
    const sales = new BuyAnnualPassHandler(executor, t.get(CardsFacade), t.get(ScenicRepository), t.get(RuleBook));
    const taps = new TapScenicGateHandler(executor, t.get(CardsFacade), t.get(ScenicRepository), t.get(RuleBook));
    const sell = (purchaseId: string, cardNo: string, passCode: string) =>
      sales.execute(new BuyAnnualPassCommand(purchaseId, cardNo, passCode, null, { actor: 'operator:test' }));
    const tapAt = (tapId: string, cardNo: string, tappedAt: string) =>
      taps.execute(new TapScenicGateCommand(tapId, cardNo, tappedAt, 'P-WALL', '12', wallGate));
    return { executor, sell, tapAt, start };
  };

  it("commits concurrent sales to different cards together; one card's two sales of a pass never share a batch and sell it once", async () => {
    t.clock.set('2026-07-01T10:00:00+08:00');
    const buyers: string[] = [];
    for (let i = 0; i < 5; i++) buyers.push(await issueCard(t, { birthDate: '1990-01-01', bankFen: 30_000 }));
    const revenueBefore = await balanceOf(t, 'pass:11:BJ_PARK_ANNUAL:revenue');
    const { executor, sell, start } = heldCounter();
    const results = await start([
      ...buyers.map((cardNo, i) => sell(`gc-pass-${i}`, cardNo, 'BJ_PARK_ANNUAL')),
      sell('gc-pass-again', buyers[0]!, 'BJ_PARK_ANNUAL'),
    ]);
    expect(results.map((r) => r.decision)).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'DENY']);
    expect(results[5]!.reasonCode).toBe('PASS_ALREADY_HELD');
    expect(executor.stats).toEqual({ batches: 1, commands: 5, fallbacks: 0, refusals: 0 });
    for (const cardNo of buyers) expect(await balanceOf(t, `card:${cardNo}:bank`)).toBe(20_000);
    expect(await balanceOf(t, 'pass:11:BJ_PARK_ANNUAL:revenue')).toBe(revenueBefore + 50_000);
    const [{ n: passes }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM scenic.annual_passes WHERE card_no = ANY ($1::text[])`, [buyers]);
    expect(passes).toBe(5);
    for (const id of [...buyers.map((_, i) => `gc-pass-${i}`), 'gc-pass-again']) {
      const replay = await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=scenic.buy-annual-pass`, {});
      expect({ id, match: replay.body.match }).toEqual({ id, match: true });
    }
  });

  it("pays a sale and a gate tap of one card from one locked balance: they take turns, and the one that does not fit is refused, not the ledger's", async () => {
    t.clock.set('2026-07-01T11:00:00+08:00');
    const cardNo = await issueCard(t, { birthDate: '1990-01-01', bankFen: 12_000 });
    const { executor, sell, tapAt, start } = heldCounter();
    const [sale, entry] = await start<CommandResult<{ balanceFen?: number }>>([
      sell('turns-pass', cardNo, 'BJ_PARK_ANNUAL'),
      tapAt('turns-tap', cardNo, '2026-07-01T11:00:00+08:00'),
    ]);
    expect([sale!.decision, entry!.decision].sort()).toEqual(['ALLOW', 'DENY']);
    const refused = sale!.decision === 'DENY' ? sale! : entry!;
    expect(refused.reasonCode).toBe('INSUFFICIENT_BALANCE');
    expect(await balanceOf(t, `card:${cardNo}:bank`)).toBe(sale!.decision === 'ALLOW' ? 2_000 : 7_000);
    expect(executor.stats).toMatchObject({ fallbacks: 0, refusals: 0 });
  });
});
