import { REGIONS, type Region } from '@onecard/kernel';
import { buildStatement, clearingMatrix, net, type ClearingItem, type ServiceLine } from './statement.js';

const LINES: ServiceLine[] = [
  { line: 'medical-pool', nameEn: 'Medical pooled fund', nameZh: '医保统筹基金', cycle: 'MONTHLY' },
  { line: 'culture', nameEn: 'Culture', nameZh: '文旅', cycle: 'DAILY' },
  { line: 'transit', nameEn: 'Transit fares', nameZh: '交通票款', cycle: 'DAILY' },
];

/** A small deterministic generator (mulberry32), so a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomItems(seed: number): ClearingItem[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: Math.floor(r() * 60) }, () => {
    const payer = pick(REGIONS);
    const payee = pick(REGIONS.filter((x) => x !== payer));
    const amount = 1 + Math.floor(r() * 500_000);
    return { line: pick(LINES).line, payer, payee, amountFen: r() < 0.15 ? -amount : amount, eventDate: '2026-03-02', late: r() < 0.1, adjustment: r() < 0.1 };
  });
}

describe('buildStatement', () => {
  it.each(Array.from({ length: 200 }, (_, i) => i + 1))('over random items (seed %i): totals are the sum of the items, positions sum to zero', (seed) => {
    const items = randomItems(seed);
    const s = buildStatement(items, LINES);
    expect(s.totals.netFen).toBe(items.reduce((a, i) => a + i.amountFen, 0));
    expect(s.totals.count).toBe(items.length);
    expect(s.totals.grossFen).toBe(items.filter((i) => i.amountFen > 0).reduce((a, i) => a + i.amountFen, 0));
    for (const n of [s.all, s.daily]) expect(n.positions.reduce((a, p) => a + p.netFen, 0)).toBe(0);
    // A region's position is what it receives less what it pays, over every item.
    for (const region of REGIONS) {
      const own = items.reduce((a, i) => a + (i.payee === region ? i.amountFen : 0) - (i.payer === region ? i.amountFen : 0), 0);
      expect(s.all.positions.find((p) => p.region === region)!.netFen).toBe(own);
    }
    // Daily and monthly split the lines: the monthly pairs carry exactly the medical items.
    expect(s.monthly.reduce((a, m) => a + m.amountFen, 0)).toBe(items.filter((i) => i.line === 'medical-pool').reduce((a, i) => a + i.amountFen, 0));
    expect(clearingMatrix(s.lines).reduce((a, c) => a + c.netFen, 0)).toBe(s.totals.netFen);
  });

  it('keeps gross, reversals, late and adjustments apart on one line', () => {
    const s = buildStatement(
      [
        { line: 'transit', payer: '12', payee: '11', amountFen: 5450, eventDate: '2026-03-01', late: true, adjustment: false },
        { line: 'transit', payer: '12', payee: '11', amountFen: 3900, eventDate: '2026-03-02', late: false, adjustment: false },
        { line: 'transit', payer: '12', payee: '11', amountFen: -3900, eventDate: '2026-03-02', late: false, adjustment: true },
      ],
      LINES,
    );
    expect(s.lines).toEqual([
      {
        payer: '12',
        payee: '11',
        line: 'transit',
        grossFen: 9350,
        count: 2,
        reversedFen: 3900,
        reversedCount: 1,
        netFen: 5450,
        lateFen: 5450,
        adjustmentFen: -3900,
      },
    ]);
    expect(s.daily.bilateral).toEqual([{ payer: '12', payee: '11', amountFen: 5450 }]);
    expect(s.totals).toMatchObject({ lateCount: 1, adjustmentCount: 1 });
  });

  it('refuses an item on an unknown line or within one region', () => {
    const base = { payer: '11' as Region, payee: '12' as Region, amountFen: 1, eventDate: '2026-03-02', late: false, adjustment: false };
    expect(() => buildStatement([{ ...base, line: 'bus' }], LINES)).toThrow(/unknown service line/);
    expect(() => buildStatement([{ ...base, payee: '11', line: 'transit' }], LINES)).toThrow(/border/);
  });
});

describe('net', () => {
  it('nets each pair once in its direction and leaves no position for a region without flows', () => {
    const n = net([
      { payer: '11', payee: '12', netFen: 100 },
      { payer: '12', payee: '11', netFen: 30 },
      { payer: '13', payee: '12', netFen: 5 },
    ]);
    expect(n.bilateral).toEqual([
      { payer: '11', payee: '12', amountFen: 70 },
      { payer: '13', payee: '12', amountFen: 5 },
    ]);
    expect(n.positions).toEqual([
      { region: '11', netFen: -70 },
      { region: '12', netFen: 75 },
      { region: '13', netFen: -5 },
    ]);
  });
});
