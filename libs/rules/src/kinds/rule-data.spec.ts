import { validateRuleFiles } from '../rule-files.js';
import { kindKey, type RuleKind } from '../rule-set.js';
import { sourceTagOf } from '../domain/source-tags.js';
import { DEFAULT_RULE_KINDS } from './default-kinds.js';
import { firstClassFareFen, type TransitNetworkParameters } from './transit-network.kind.js';
import type { MedicalCatalogueParameters } from './medical-catalogue.kind.js';
import { loanRuleFor, type LibraryCirculationParameters } from './library-circulation.kind.js';
import type { ClearingPrepaymentParameters } from './clearing-prepayment.kind.js';

const kinds = new Map<string, RuleKind<unknown>>(DEFAULT_RULE_KINDS.map((k) => [kindKey(k), k]));

describe('the rule data in rules/', () => {
  const { files, valid, problems } = validateRuleFiles('rules', kinds);
  const byId = (id: string, version = 1) => valid.find((v) => v.rs.content.id === id && v.rs.content.version === version)!.rs;

  it('loads every file without a problem', () => {
    expect(problems).toEqual([]);
    expect(files.length).toBe(29);
    expect(valid.length).toBe(files.length);
  });

  it('keeps a prepayment with each other region for every home region, and none with itself', () => {
    for (const [region, id] of [
      ['11', 'clearing.prepayment.beijing'],
      ['12', 'clearing.prepayment.tianjin'],
      ['13', 'clearing.prepayment.hebei'],
    ] as const) {
      const p = byId(id).parameters as ClearingPrepaymentParameters;
      expect(Object.keys(p.prepayments).sort()).toEqual(['11', '12', '13'].filter((r) => r !== region));
      expect(Object.values(p.prepayments).every((fen) => Number.isInteger(fen) && fen! > 0)).toBe(true);
      expect(p.topUpThresholdPercent).toBe(30);
    }
  });

  it('has the sourced fares in both directions, tagged S', () => {
    const net = byId('transit.jingjin');
    const p = net.parameters as TransitNetworkParameters;
    const sourced: [string, string, number][] = [
      ['BJN', 'TJN', 5450],
      ['BJN', 'YZH', 950],
      ['YZH', 'WQI', 2750],
      ['YZH', 'TJN', 4450],
    ];
    for (const [a, b, fen] of sourced) {
      expect(p.fares[a]![b]).toBe(fen);
      expect(p.fares[b]![a]).toBe(fen);
      expect(sourceTagOf(net.content.sources, `/fares/${a}/${b}`)).toBe('S');
      expect(sourceTagOf(net.content.sources, `/fares/${b}/${a}`)).toBe('S');
    }
    expect(sourceTagOf(net.content.sources, '/fares/BJN/BHI')).toBe('E');
    // All 28 pairs, both ways, and symmetric.
    const codes = p.stations.map((s) => s.code);
    let cells = 0;
    for (const a of codes) for (const b of codes) if (a !== b) (cells++, expect(p.fares[a]![b]).toBe(p.fares[b]![a]));
    expect(cells).toBe(56);
  });

  it('prices first class by the rule, matching the published BJN–TJN 65.5 yuan', () => {
    const p = byId('transit.jingjin').parameters as TransitNetworkParameters;
    const withoutOverride = { ...p, firstClass: { ...p.firstClass, overrides: {} } };
    expect(firstClassFareFen(withoutOverride, 'BJN', 'TJN')).toBe(6550);
    expect(firstClassFareFen(p, 'TJN', 'BJN')).toBe(6550);
    expect(firstClassFareFen(p, 'WQI', 'TJN')).toBe(1850); // 18.60 → 18.5
    expect(firstClassFareFen(p, 'TGU', 'BHI')).toBe(600); // 6.00
    expect(firstClassFareFen(p, 'BJN', 'YZH')).toBe(1150); // 11.40 → 11.5
  });

  it('opens Yongle in version 2 only', () => {
    const yle = (v: number) => (byId('transit.jingjin', v).parameters as TransitNetworkParameters).stations.find((s) => s.code === 'YLE')!;
    expect(yle(1).inService).toBe(false);
    expect(yle(2).inService).toBe(true);
    expect(byId('transit.jingjin', 2).content.effectiveFrom).toBe('2027-01-01');
  });

  it('shares item codes across the three catalogues, with recognised lab and imaging items', () => {
    const items = (slug: string) => (byId(`medical.catalogue.${slug}`).parameters as MedicalCatalogueParameters).items;
    const bj = items('beijing');
    const tj = items('tianjin');
    for (const list of [bj, tj, items('hebei')]) {
      expect(list.length).toBeGreaterThanOrEqual(30);
      expect(list.length).toBeLessThanOrEqual(60);
    }
    const cbc = (l: typeof bj) => l.find((i) => i.code === '250101015');
    expect(cbc(bj)).toMatchObject({ recognised: 'lab' });
    expect(cbc(tj)).toMatchObject({ recognised: 'lab' });
    expect(tj.filter((i) => i.recognised === 'imaging').length).toBeGreaterThan(5);
  });

  it('gives every home region one loan rule in each network', () => {
    const tj = byId('libraries.circulation.tianjin').parameters as LibraryCirculationParameters;
    expect(loanRuleFor(tj, 'TIANJIN', '12')).toMatchObject({ loanLimit: 5, loanDays: 30, renewals: 1, finePerDayPerItemFen: 20 });
    const bj = byId('libraries.circulation.beijing').parameters as LibraryCirculationParameters;
    expect(loanRuleFor(bj, 'CAPITAL', '11')).toMatchObject({ loanLimit: 15, loanDays: 42, renewalDays: 28 });
    expect(loanRuleFor(bj, 'CAPITAL', '13')?.loanLimit).toBe(5);
  });

  it('reads library version 1 with the meaning it had, and states it explicitly in version 2', () => {
    for (const id of ['libraries.circulation.beijing', 'libraries.circulation.tianjin', 'libraries.circulation.hebei']) {
      const [v1, v2] = [byId(id, 1), byId(id, 2)].map((rs) => rs.parameters as LibraryCirculationParameters);
      expect(v1!.borrowingBlockedWhenOverdue).toBe(false);
      expect(v2!.borrowingBlockedWhenOverdue).toBe(true);
      for (const p of [v1!, v2!]) {
        for (const n of Object.values(p.networks)) {
          expect(n.crossNetworkLoan).toBe('REFUSE');
          for (const r of n.rules) expect(r.fineCapPerItemFen).toBeNull();
        }
      }
      expect(byId(id, 2).content.effectiveFrom).toBe(byId(id, 1).content.effectiveFrom);
    }
  });
});
