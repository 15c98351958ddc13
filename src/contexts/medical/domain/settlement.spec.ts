import type { Region } from '@onecard/kernel';
import { catalogueData, policyData } from '../testing/medical-rule-data.js';
import { NO_ACCUMULATION, type AnnualAccumulators } from './annual-accumulators.js';
import { computeSettlement, type SettlementInput } from './settlement.js';
import type { BillItem, Institution, InsuredPerson, Scheme, VisitType } from './visit.js';

/**
 * Hand-computed splits with the repository's rule data (ADR 0009). Every case writes its
 * arithmetic; amounts are fen. The treatment region is Tianjin (12) unless said otherwise, so the
 * home region's policy is applied to the Tianjin catalogue, as in real cross-region settlement.
 */
const TJ = catalogueData('12');
const METFORMIN = 'XA10BAD001A001010100001'; // category A in every catalogue
const ATORVASTATIN = 'XC10AAA199A001010100004'; // category B in Tianjin
const SPECIAL_NEEDS = '110200006'; // category C
const CBC = '250101015'; // category A, recognised lab item

const clinic = (level: 1 | 2 | 3, extra: Partial<Institution> = {}): Institution => ({
  venueId: `CLN-12-L${level}`,
  region: '12',
  level,
  community: level === 1,
  recognition: true,
  ...extra,
});

function settle(opts: {
  home: Region;
  scheme: Scheme;
  retiree?: boolean;
  visit: VisitType;
  level: 1 | 2 | 3;
  items: BillItem[];
  year?: Partial<AnnualAccumulators>;
  balance?: number | null;
  institution?: Partial<Institution>;
}) {
  const person: InsuredPerson = { homeRegion: opts.home, scheme: opts.scheme, retiree: opts.retiree ?? false };
  const input: SettlementInput = {
    items: opts.items,
    visitType: opts.visit,
    on: '2026-03-02',
    institution: clinic(opts.level, opts.institution),
    person,
    catalogue: TJ,
    policy: policyData(opts.home),
    year: { ...NO_ACCUMULATION, ...opts.year },
    candidates: [],
    personalBalanceFen: opts.balance ?? null,
  };
  return computeSettlement(input);
}

/** One category-A line of `fen`. */
const bill = (fen: number): BillItem[] => [{ code: METFORMIN, quantity: 1, unitPriceFen: fen }];
const OUTPATIENT_BILL = bill(300_000); // 3,000 yuan
const INPATIENT_BILL = bill(2_000_000); // 20,000 yuan

describe('the six home-region × scheme policies, fresh year, category A only', () => {
  // [home, scheme, visit, level, deductible, fund]: the patient pays total − fund (cash; no personal balance given).
  const cases: [Region, Scheme, VisitType, 1 | 3, number, number, string][] = [
    // Beijing employee outpatient: deductible 1,800 yuan; 90 % at a community institution, 70 % elsewhere.
    ['11', 'EMPLOYEE', 'OUTPATIENT', 1, 180_000, 108_000, '(300000 − 180000) × 90 % = 108000'],
    ['11', 'EMPLOYEE', 'OUTPATIENT', 3, 180_000, 84_000, '(300000 − 180000) × 70 % = 84000'],
    // Beijing employee inpatient: first stay 1,300 yuan; 90 / 85 %.
    ['11', 'EMPLOYEE', 'INPATIENT', 1, 130_000, 1_683_000, '(2000000 − 130000) × 90 % = 1683000'],
    ['11', 'EMPLOYEE', 'INPATIENT', 3, 130_000, 1_589_500, '(2000000 − 130000) × 85 % = 1589500'],
    // Beijing resident outpatient: 100 yuan at L1 (55 %), 550 at L3 (50 %); cap 5,000 yuan.
    ['11', 'RESIDENT', 'OUTPATIENT', 1, 10_000, 159_500, '(300000 − 10000) × 55 % = 159500'],
    ['11', 'RESIDENT', 'OUTPATIENT', 3, 55_000, 122_500, '(300000 − 55000) × 50 % = 122500'],
    // Beijing resident inpatient: 300 / 1,300 yuan; 80 / 75 %.
    ['11', 'RESIDENT', 'INPATIENT', 1, 30_000, 1_576_000, '(2000000 − 30000) × 80 % = 1576000'],
    ['11', 'RESIDENT', 'INPATIENT', 3, 130_000, 1_402_500, '(2000000 − 130000) × 75 % = 1402500'],
    // Tianjin employee outpatient: 800 yuan; 75 / 55 %; cap 10,000 yuan.
    ['12', 'EMPLOYEE', 'OUTPATIENT', 1, 80_000, 165_000, '(300000 − 80000) × 75 % = 165000'],
    ['12', 'EMPLOYEE', 'OUTPATIENT', 3, 80_000, 121_000, '(300000 − 80000) × 55 % = 121000'],
    // Tianjin employee inpatient: first stay 800 / 1,700 yuan; 85 / 80 %.
    ['12', 'EMPLOYEE', 'INPATIENT', 1, 80_000, 1_632_000, '(2000000 − 80000) × 85 % = 1632000'],
    ['12', 'EMPLOYEE', 'INPATIENT', 3, 170_000, 1_464_000, '(2000000 − 170000) × 80 % = 1464000'],
    // Tianjin resident outpatient: 600 yuan; 55 / 50 %.
    ['12', 'RESIDENT', 'OUTPATIENT', 1, 60_000, 132_000, '(300000 − 60000) × 55 % = 132000'],
    ['12', 'RESIDENT', 'OUTPATIENT', 3, 60_000, 120_000, '(300000 − 60000) × 50 % = 120000'],
    // Tianjin resident inpatient: 500 yuan first stay; 75 / 65 %.
    ['12', 'RESIDENT', 'INPATIENT', 1, 50_000, 1_462_500, '(2000000 − 50000) × 75 % = 1462500'],
    ['12', 'RESIDENT', 'INPATIENT', 3, 50_000, 1_267_500, '(2000000 − 50000) × 65 % = 1267500'],
    // Hebei employee outpatient: 100 yuan; 60 %; cap 3,500 yuan (not reached).
    ['13', 'EMPLOYEE', 'OUTPATIENT', 1, 10_000, 174_000, '(300000 − 10000) × 60 % = 174000'],
    ['13', 'EMPLOYEE', 'OUTPATIENT', 3, 10_000, 174_000, '(300000 − 10000) × 60 % = 174000'],
    // Hebei employee inpatient: 100 / 900 yuan; 98 / 85 %.
    ['13', 'EMPLOYEE', 'INPATIENT', 1, 10_000, 1_950_200, '(2000000 − 10000) × 98 % = 1950200'],
    ['13', 'EMPLOYEE', 'INPATIENT', 3, 90_000, 1_623_500, '(2000000 − 90000) × 85 % = 1623500'],
    // Hebei resident outpatient: no deductible, 90 % at grassroots but capped at 400 yuan a year; 0 % at L3.
    ['13', 'RESIDENT', 'OUTPATIENT', 1, 0, 40_000, '300000 × 90 % = 270000, cut to the 40000 cap'],
    ['13', 'RESIDENT', 'OUTPATIENT', 3, 0, 0, '300000 × 0 % = 0'],
    // Hebei resident inpatient: 200 / 1,000 yuan; 90 / 65 %.
    ['13', 'RESIDENT', 'INPATIENT', 1, 20_000, 1_782_000, '(2000000 − 20000) × 90 % = 1782000'],
    ['13', 'RESIDENT', 'INPATIENT', 3, 100_000, 1_235_000, '(2000000 − 100000) × 65 % = 1235000'],
  ];

  it.each(cases)('home %s %s %s at level %i: deductible %i, fund %i — %s', (home, scheme, visit, level, deductible, fund) => {
    const items = visit === 'OUTPATIENT' ? OUTPATIENT_BILL : INPATIENT_BILL;
    const total = items[0]!.unitPriceFen;
    const { split, accumulation } = settle({ home, scheme, visit, level, items });
    expect(split.totals).toMatchObject({
      totalFen: total,
      selfPaidFen: 0,
      inPolicyFen: total,
      deductibleFen: deductible,
      fundFen: fund,
      personalAccountFen: 0,
      cashFen: total - fund,
    });
    expect(accumulation).toEqual(
      visit === 'OUTPATIENT'
        ? { ...NO_ACCUMULATION, outpatientDeductibleFen: deductible, outpatientFundFen: fund }
        : { ...NO_ACCUMULATION, inpatientDeductibleFen: deductible, inpatientFundFen: fund, inpatientStays: 1 },
    );
  });
});

describe('deductible and cap across a year', () => {
  it('applies only what is left of the yearly outpatient deductible (a bill that crosses it)', () => {
    // Tianjin employee, L3: 800 yuan deductible, 500 used → 300 left. 100000 − 30000 = 70000 × 55 % = 38500.
    const { split, terms } = settle({
      home: '12',
      scheme: 'EMPLOYEE',
      visit: 'OUTPATIENT',
      level: 3,
      items: bill(100_000),
      year: { outpatientDeductibleFen: 50_000 },
    });
    expect(terms).toMatchObject({ deductibleRule: 'YEARLY', deductibleFen: 80_000, deductibleRemainingFen: 30_000 });
    expect(split.totals).toMatchObject({ deductibleFen: 30_000, fundFen: 38_500, cashFen: 61_500 });
  });

  it('takes a bill below the remaining deductible wholly into it; none once it is used up', () => {
    const below = settle({ home: '12', scheme: 'EMPLOYEE', visit: 'OUTPATIENT', level: 3, items: bill(50_000) });
    expect(below.split.totals).toMatchObject({ deductibleFen: 50_000, fundFen: 0, cashFen: 50_000 });
    // 800 yuan used: 100000 × 55 % = 55000.
    const used = settle({ home: '12', scheme: 'EMPLOYEE', visit: 'OUTPATIENT', level: 3, items: bill(100_000), year: { outpatientDeductibleFen: 80_000 } });
    expect(used.split.totals).toMatchObject({ deductibleFen: 0, fundFen: 55_000 });
  });

  it('cuts the fund at what is left of the yearly cap (a bill that crosses it), and pays nothing past it', () => {
    // Tianjin resident, L1, 600 deductible used, fund paid 4,900 of the 5,000-yuan cap: 300000 × 55 % = 165000 → 10000.
    const crossing = settle({
      home: '12',
      scheme: 'RESIDENT',
      visit: 'OUTPATIENT',
      level: 1,
      items: OUTPATIENT_BILL,
      year: { outpatientDeductibleFen: 60_000, outpatientFundFen: 490_000 },
    });
    expect(crossing.terms.capRemainingFen).toBe(10_000);
    expect(crossing.split.totals).toMatchObject({ fundBeforeCapFen: 165_000, fundFen: 10_000, cashFen: 290_000, capReached: true });
    const past = settle({
      home: '12',
      scheme: 'RESIDENT',
      visit: 'OUTPATIENT',
      level: 1,
      items: OUTPATIENT_BILL,
      year: { outpatientDeductibleFen: 60_000, outpatientFundFen: 500_000 },
    });
    expect(past.split.totals).toMatchObject({ fundFen: 0, cashFen: 300_000, capReached: true });
  });

  it('keeps caps per visit type: inpatient payments do not use the outpatient cap', () => {
    const r = settle({ home: '12', scheme: 'RESIDENT', visit: 'OUTPATIENT', level: 1, items: OUTPATIENT_BILL, year: { inpatientFundFen: 25_000_000 } });
    expect(r.split.totals.fundFen).toBe(132_000);
  });

  it("charges the first stay's deductible on the first stay and the later one afterwards", () => {
    // Tianjin employee, L3: first stay 1,700 yuan; later stays 500 yuan: (2000000 − 50000) × 80 % = 1560000.
    const later = settle({
      home: '12',
      scheme: 'EMPLOYEE',
      visit: 'INPATIENT',
      level: 3,
      items: INPATIENT_BILL,
      year: { inpatientStays: 1, inpatientDeductibleFen: 170_000 },
    });
    expect(later.terms).toMatchObject({ deductibleRule: 'LATER_STAY', deductibleFen: 50_000, stayNumber: 2 });
    expect(later.split.totals).toMatchObject({ deductibleFen: 50_000, fundFen: 1_560_000 });
    // Tianjin resident: no deductible from the second stay: 2000000 × 65 % = 1300000.
    const resident = settle({ home: '12', scheme: 'RESIDENT', visit: 'INPATIENT', level: 3, items: INPATIENT_BILL, year: { inpatientStays: 2 } });
    expect(resident.split.totals).toMatchObject({ deductibleFen: 0, fundFen: 1_300_000 });
    expect(resident.terms.stayNumber).toBe(3);
  });
});

describe('retirees', () => {
  it.each([
    // Beijing employee retiree outpatient: 1,300 yuan, 85 % (90 % at community).
    ['11', 'OUTPATIENT', 3, 130_000, 144_500, '(300000 − 130000) × 85 % = 144500'],
    ['11', 'OUTPATIENT', 1, 130_000, 153_000, '(300000 − 130000) × 90 % = 153000'],
    // Beijing employee retiree inpatient: 85 % + 5 = 90 %.
    ['11', 'INPATIENT', 3, 130_000, 1_683_000, '(2000000 − 130000) × 90 % = 1683000'],
    // Tianjin employee retiree outpatient: 700 yuan, ratio unchanged.
    ['12', 'OUTPATIENT', 3, 70_000, 126_500, '(300000 − 70000) × 55 % = 126500'],
    // Tianjin employee retiree inpatient L1: 85 % + 5 = 90 %.
    ['12', 'INPATIENT', 1, 80_000, 1_728_000, '(2000000 − 80000) × 90 % = 1728000'],
    // Hebei employee retiree outpatient: 70 %, cap 6,000 yuan.
    ['13', 'OUTPATIENT', 3, 10_000, 203_000, '(300000 − 10000) × 70 % = 203000'],
    // Hebei has no inpatient retiree bonus: 98 % stays 98 %.
    ['13', 'INPATIENT', 1, 10_000, 1_950_200, '(2000000 − 10000) × 98 % = 1950200'],
  ] as [Region, VisitType, 1 | 3, number, number, string][])('home %s %s L%i: deductible %i, fund %i — %s', (home, visit, level, deductible, fund) => {
    const { split } = settle({ home, scheme: 'EMPLOYEE', retiree: true, visit, level, items: visit === 'OUTPATIENT' ? OUTPATIENT_BILL : INPATIENT_BILL });
    expect(split.totals).toMatchObject({ deductibleFen: deductible, fundFen: fund });
  });

  it('uses the retiree cap where the policy has one (Hebei 6,000 yuan)', () => {
    // 4,000 yuan paid this year: 6000 − 4000 = 2000 yuan left; (300000 − 0) × 70 % = 210000 → 200000.
    const r = settle({
      home: '13',
      scheme: 'EMPLOYEE',
      retiree: true,
      visit: 'OUTPATIENT',
      level: 3,
      items: OUTPATIENT_BILL,
      year: { outpatientDeductibleFen: 10_000, outpatientFundFen: 400_000 },
    });
    expect(r.split.totals).toMatchObject({ fundBeforeCapFen: 210_000, fundFen: 200_000, capReached: true });
  });
});

describe('catalogue categories', () => {
  it('self-pays a category-B share first (half up per line), then applies the policy', () => {
    // Atorvastatin (B, 10 % first): 3 × 3333 = 9999; 999.9 → 1000 self-paid, 8999 in policy.
    // Hebei employee L1, deductible used: 8999 × 60 % = 5399.4 → 5399 (floor); patient 9999 − 5399 = 4600.
    const { split } = settle({
      home: '13',
      scheme: 'EMPLOYEE',
      visit: 'OUTPATIENT',
      level: 1,
      items: [{ code: ATORVASTATIN, quantity: 3, unitPriceFen: 3333 }],
      year: { outpatientDeductibleFen: 10_000 },
    });
    expect(split.items[0]).toMatchObject({ category: 'B', amountFen: 9999, selfPaidFen: 1000, inPolicyFen: 8999, fundFen: 5399, cashFen: 4600 });
    expect(split.totals).toMatchObject({ totalFen: 9999, selfPaidFen: 1000, inPolicyFen: 8999, fundFen: 5399, cashFen: 4600 });
  });

  it('self-pays category C and codes the catalogue does not list (flagged), paying nothing from the fund', () => {
    const { split } = settle({
      home: '12',
      scheme: 'EMPLOYEE',
      visit: 'OUTPATIENT',
      level: 3,
      items: [
        { code: SPECIAL_NEEDS, quantity: 1, unitPriceFen: 5000 },
        { code: 'ZZ0000001', quantity: 2, unitPriceFen: 1234 },
      ],
      year: { outpatientDeductibleFen: 80_000 },
    });
    expect(split.items[0]).toMatchObject({
      code: SPECIAL_NEEDS,
      category: 'C',
      notInCatalogue: false,
      selfPaidFen: 5000,
      inPolicyFen: 0,
      fundFen: 0,
      cashFen: 5000,
    });
    expect(split.items[1]).toMatchObject({
      code: 'ZZ0000001',
      name: null,
      category: 'C',
      notInCatalogue: true,
      amountFen: 2468,
      selfPaidFen: 2468,
      fundFen: 0,
    });
    expect(split.totals).toMatchObject({ totalFen: 7468, selfPaidFen: 7468, inPolicyFen: 0, deductibleFen: 0, fundFen: 0, cashFen: 7468 });
  });

  it('takes the deductible from in-policy amounts only, spread over the lines', () => {
    // A 60000 + B 40000 (4000 self-paid, 36000 in policy) + C 10000. In policy 96000; Tianjin employee L3, 800 left:
    // deductible 80000 → lines 60000:36000 → 50000 / 30000; above 16000 × 55 % = 8800 → 10000:6000 → 5500 / 3300.
    const { split } = settle({
      home: '12',
      scheme: 'EMPLOYEE',
      visit: 'OUTPATIENT',
      level: 3,
      items: [
        { code: METFORMIN, quantity: 1, unitPriceFen: 60_000 },
        { code: ATORVASTATIN, quantity: 1, unitPriceFen: 40_000 },
        { code: SPECIAL_NEEDS, quantity: 1, unitPriceFen: 10_000 },
      ],
    });
    expect(split.items.map((i) => [i.selfPaidFen, i.inPolicyFen, i.deductibleFen, i.fundFen, i.cashFen])).toEqual([
      [0, 60_000, 50_000, 5500, 54_500],
      [4000, 36_000, 30_000, 3300, 36_700],
      [10_000, 0, 0, 0, 10_000],
    ]);
    expect(split.totals).toMatchObject({ totalFen: 110_000, selfPaidFen: 14_000, inPolicyFen: 96_000, deductibleFen: 80_000, fundFen: 8800, cashFen: 101_200 });
  });
});

describe('personal account', () => {
  it('pays part of the patient share up to its balance, cash the rest', () => {
    // Beijing employee L3: patient share 300000 − 84000 = 216000; balance 50000 → 50000 + 166000 cash.
    const { split } = settle({ home: '11', scheme: 'EMPLOYEE', visit: 'OUTPATIENT', level: 3, items: OUTPATIENT_BILL, balance: 50_000 });
    expect(split.totals).toMatchObject({ fundFen: 84_000, personalAccountFen: 50_000, cashFen: 166_000 });
  });

  it('pays all of it when the balance suffices', () => {
    const { split } = settle({ home: '11', scheme: 'EMPLOYEE', visit: 'OUTPATIENT', level: 3, items: OUTPATIENT_BILL, balance: 1_000_000 });
    expect(split.totals).toMatchObject({ fundFen: 84_000, personalAccountFen: 216_000, cashFen: 0 });
  });

  it('pays nothing where the scheme has no personal account', () => {
    const { split, terms } = settle({ home: '11', scheme: 'RESIDENT', visit: 'OUTPATIENT', level: 3, items: OUTPATIENT_BILL, balance: 1_000_000 });
    expect(terms.personalAccountPays).toBe(false);
    expect(split.totals).toMatchObject({ personalAccountFen: 0, cashFen: 177_500 });
  });

  it('spreads the account over the lines by their patient shares', () => {
    // Lines 100 and 200 in policy, deductible used, Beijing employee L3: fund 300 × 70 % = 210 → 70 / 140;
    // patient shares 30 / 60; account 45 → 15 / 30; cash 15 / 30.
    const { split } = settle({
      home: '11',
      scheme: 'EMPLOYEE',
      visit: 'OUTPATIENT',
      level: 3,
      items: [
        { code: METFORMIN, quantity: 1, unitPriceFen: 100 },
        { code: METFORMIN, quantity: 2, unitPriceFen: 100 },
      ],
      year: { outpatientDeductibleFen: 180_000 },
      balance: 45,
    });
    expect(split.items.map((i) => [i.fundFen, i.personalAccountFen, i.cashFen])).toEqual([
      [70, 15, 15],
      [140, 30, 30],
    ]);
  });
});

describe('rounding: one rounding of the fund total, largest remainder to the lines', () => {
  const noDeductible = { outpatientDeductibleFen: 180_000 };

  it("floors the fund total in the fund's favour (1 fen at 70 % → 0)", () => {
    const { split } = settle({ home: '11', scheme: 'EMPLOYEE', visit: 'OUTPATIENT', level: 3, items: bill(1), year: noDeductible });
    expect(split.totals).toMatchObject({ totalFen: 1, fundFen: 0, cashFen: 1 });
  });

  it('rounds the total once, not each line (5 + 5 fen at 55 %: 5 fen, not 2 + 2)', () => {
    // Total: 10 × 55 % = 5.5 → 5. Lines 2.75 each: floors 2 + 2, one fen left to the earliest equal remainder → 3 / 2.
    const { split } = settle({
      home: '12',
      scheme: 'RESIDENT',
      visit: 'OUTPATIENT',
      level: 1,
      items: [bill(5)[0]!, bill(5)[0]!],
      year: { outpatientDeductibleFen: 60_000 },
    });
    expect(split.totals.fundFen).toBe(5);
    expect(split.items.map((i) => i.fundFen)).toEqual([3, 2]);
  });

  it('gives the left-over fen to the largest remainders', () => {
    // 3333 + 3333 + 3334 at 70 %: total 10000 × 70 % = 7000; exact shares 2333.1, 2333.1, 2333.8 →
    // floors 2333 + 2333 + 2333 = 6999, the fen goes to the third line (remainder .8).
    const { split } = settle({
      home: '11',
      scheme: 'EMPLOYEE',
      visit: 'OUTPATIENT',
      level: 3,
      items: [bill(3333)[0]!, bill(3333)[0]!, bill(3334)[0]!],
      year: noDeductible,
    });
    expect(split.items.map((i) => i.fundFen)).toEqual([2333, 2333, 2334]);
  });

  it('always sums exactly, per line and in total, over many random bills', () => {
    let seed = 20260302;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const codes = [METFORMIN, ATORVASTATIN, SPECIAL_NEEDS, CBC, 'ZZ0000001', '110200003', 'XB05AAR005B002010100018'];
    const homes: Region[] = ['11', '12', '13'];
    for (let run = 0; run < 400; run++) {
      const items = Array.from({ length: 1 + rand(40) }, () => ({
        code: codes[rand(codes.length)]!,
        quantity: 1 + rand(9),
        unitPriceFen: rand(3) === 0 ? rand(10) : rand(500_000),
      }));
      const visit: VisitType = rand(2) === 0 ? 'OUTPATIENT' : 'INPATIENT';
      const { split, terms } = settle({
        home: homes[rand(3)]!,
        scheme: rand(2) === 0 ? 'EMPLOYEE' : 'RESIDENT',
        retiree: rand(2) === 0,
        visit,
        level: (1 + rand(3)) as 1 | 2 | 3,
        items,
        year: { outpatientDeductibleFen: rand(200_000), outpatientFundFen: rand(1_000_000), inpatientStays: rand(3), inpatientFundFen: rand(30_000_000) },
        balance: rand(2) === 0 ? rand(300_000) : null,
      });
      const t = split.totals;
      const sum = (f: (i: (typeof split.items)[number]) => number) => split.items.reduce((s, i) => s + f(i), 0);
      expect(t.totalFen).toBe(t.selfPaidFen + t.inPolicyFen);
      expect(t.totalFen).toBe(t.fundFen + t.personalAccountFen + t.cashFen);
      expect(t.deductibleFen).toBeLessThanOrEqual(terms.deductibleRemainingFen);
      if (terms.capRemainingFen !== null) expect(t.fundFen).toBeLessThanOrEqual(terms.capRemainingFen);
      for (const [key, total] of [
        ['amountFen', t.totalFen],
        ['selfPaidFen', t.selfPaidFen],
        ['inPolicyFen', t.inPolicyFen],
        ['deductibleFen', t.deductibleFen],
        ['fundFen', t.fundFen],
        ['personalAccountFen', t.personalAccountFen],
        ['cashFen', t.cashFen],
      ] as const) {
        expect(sum((i) => i[key])).toBe(total);
      }
      for (const i of split.items) {
        expect(i.amountFen).toBe(i.selfPaidFen + i.inPolicyFen);
        expect(i.amountFen).toBe(i.fundFen + i.personalAccountFen + i.cashFen);
        expect(Math.min(i.selfPaidFen, i.inPolicyFen, i.deductibleFen, i.fundFen, i.personalAccountFen, i.cashFen)).toBeGreaterThanOrEqual(0);
        expect(i.fundFen).toBeLessThanOrEqual(i.inPolicyFen - i.deductibleFen);
      }
    }
  });
});
