import { OPERATOR_TOKEN, startTestApp, type TestApp } from '@test/support';
import { SCENARIOS } from '../../src/simulator/scenarios/index.js';
import { SimClock } from '../../src/simulator/sim-clock.js';
import { simulate, type SimulationOutcome } from '../../src/simulator/simulate.js';

/** The simulated clock, until the test moves business time past midnight to close the day. */
class JumpClock extends SimClock {
  jumpedTo: Date | null = null;
  override now(): Date {
    return this.jumpedTo ?? super.now();
  }
}

const DAY = SCENARIOS.chaos.day;

/**
 * The statement reconciles by construction: over a simulated chaotic morning (every context,
 * retries, offline gate batches, reversals), the closed statement's flows are exactly the day's
 * cross-region ledger legs, summed here straight from the ledger's tables (each record's entries are
 * the 2 × legs after it) as an independent oracle.
 */
describe('clearing over a simulated day (real PostgreSQL, signed HTTP)', () => {
  let t: TestApp;
  let outcome: SimulationOutcome;
  let clock: JumpClock;

  beforeAll(async () => {
    clock = new JumpClock(new Date(`${DAY}T${SCENARIOS.chaos.from}:00+08:00`), 1200);
    t = await startTestApp({ clock, env: { SEED_DEMO: 'true' } });
    outcome = await simulate({
      scenario: 'chaos',
      durationMs: 10_000,
      rate: 40,
      seed: 11,
      speed: 1200,
      concurrency: 12,
      cards: 400,
      quiet: true,
      service: { baseUrl: t.baseUrl, clock, masterKey: t.env.TERMINAL_MASTER_KEY, operatorToken: OPERATOR_TOKEN },
    });
    // 00:30 the next morning: the day has ended.
    clock.jumpedTo = new Date(Date.parse(`${DAY}T00:30:00+08:00`) + 86_400_000);
  }, 240_000);
  afterAll(() => t?.close());

  /** Directed sums payer → payee of every leg of the day between accounts of two different regions. */
  async function oracle(): Promise<{ flows: Map<string, number>; legs: number }> {
    const rows = await t.dataSource.query(
      `SELECT d.region AS payer, c.region AS payee, sum(ce.amount)::bigint AS fen, count(*)::int AS legs
       FROM ledger.journal j
       JOIN ledger.entries de ON de.chain = j.chain AND de.seq BETWEEN j.seq + 1 AND j.seq + 2 * j.legs AND de.amount < 0
       JOIN ledger.entries ce ON ce.chain = de.chain AND ce.leg = de.leg AND ce.seq BETWEEN j.seq + 1 AND j.seq + 2 * j.legs AND ce.amount > 0
       JOIN ledger.accounts d ON d.code = de.account_code
       JOIN ledger.accounts c ON c.code = ce.account_code
       WHERE d.region <> c.region
         AND j.event_time >= $1 AND j.event_time < $2
         AND d.kind NOT IN ('CLEARING', 'PREPAYMENT') AND c.kind NOT IN ('CLEARING', 'PREPAYMENT')
       GROUP BY 1, 2`,
      [new Date(`${DAY}T00:00:00+08:00`), new Date(`${DAY}T24:00:00+08:00`)],
    );
    return {
      flows: new Map(rows.map((r: any) => [`${r.payer}>${r.payee}`, Number(r.fen)])),
      legs: rows.reduce((s: number, r: any) => s + r.legs, 0),
    };
  }

  function statementFlows(lines: any[]): Map<string, number> {
    const flows = new Map<string, number>();
    const add = (k: string, v: number) => v !== 0 && flows.set(k, (flows.get(k) ?? 0) + v);
    for (const l of lines) {
      add(`${l.payer}>${l.payee}`, l.grossFen);
      add(`${l.payee}>${l.payer}`, l.reversedFen);
    }
    return flows;
  }

  it('ran a real day: no 5xx, a verified ledger, and cross-region money on several service lines', () => {
    expect(outcome.problems).toEqual([]);
    expect(outcome.stats.serverErrors).toBe(0);
  });

  it("closes the day with statement flows equal to the sum of the day's cross-region legs, and nets that sum to zero", async () => {
    const expected = await oracle();
    const closed = await t.operator.post(`/v1/admin/clearing/days/${DAY}/close`, {});
    expect(closed.status).toBe(200);
    const figures = closed.body.body.figures;
    expect(new Set(figures.lines.map((l: any) => l.line)).size).toBeGreaterThanOrEqual(2);
    expect(statementFlows(figures.lines)).toEqual(expected.flows);
    expect(figures.totals.count).toBe(expected.legs);
    for (const netting of [figures.all, figures.daily]) {
      expect(netting.positions).toHaveLength(3);
      expect(netting.positions.reduce((s: number, p: any) => s + p.netFen, 0)).toBe(0);
    }
    // Each line's net is its gross less its reversals; the totals add the lines up.
    for (const l of figures.lines) expect(l.netFen).toBe(l.grossFen - l.reversedFen);
    expect(figures.totals.netFen).toBe(figures.lines.reduce((s: number, l: any) => s + l.netFen, 0));

    // The ledger now holds the close: each region's clearing account moved by its daily position
    // plus the medical obligations drawn to it from the prepayments.
    for (const p of figures.daily.positions) {
      const drawn = figures.monthly.filter((m: any) => m.treatment === p.region).reduce((s: number, m: any) => s + m.amountFen, 0);
      const [row] = await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = $1`, [
        `clearing:${p.region}`,
      ]);
      expect(Number(row.b)).toBe(p.netFen + drawn);
    }
    const matrix = (await t.auditor.get(`/v1/admin/clearing/days/${DAY}`)).body.matrix;
    expect(matrix).toHaveLength(9);
    expect((await t.auditor.get('/v1/admin/ledger/verification')).body.ok).toBe(true);
  });
});
