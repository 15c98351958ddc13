import { ageOn, type Region } from '@onecard/kernel';
import { DEFAULT_RULE_KINDS, kindKey, validateRuleFiles, type RuleKind, type ScenicAdmissionParameters } from '@onecard/rules';
import { decideTap, priceAdmission, type HeldPass, type TapFacts } from './admission.rule.js';
import type { SpotConfig, SpotType } from './spot.js';

// The real rule data in rules/scenic: the ages and shares under test are the published ones.
const kinds = new Map<string, RuleKind<unknown>>(DEFAULT_RULE_KINDS.map((k) => [kindKey(k), k]));
const { valid } = validateRuleFiles('rules', kinds);
const rulesOf = (region: Region): ScenicAdmissionParameters =>
  valid.filter((v) => v.rs.content.context === 'scenic' && v.rs.content.region === region).sort((a, b) => b.rs.content.version - a.rs.content.version)[0]!.rs
    .parameters as ScenicAdmissionParameters;

const spot = (region: Region, spotType: SpotType = 'PARK', basePriceFen = 3000, participation: string[] = []): SpotConfig => ({
  spotId: `S-${region}`,
  region,
  spotType,
  basePriceFen,
  dailyCapacity: 100,
  participation,
});

function priceFor(region: Region, birthDate: string, visitDate: string, opts: { spotType?: SpotType; basePriceFen?: number } = {}) {
  return priceAdmission(rulesOf(region), {
    spot: spot(region, opts.spotType, opts.basePriceFen),
    age: ageOn(birthDate, visitDate),
    visitDate,
    passes: [],
    firstEntry: null,
  });
}

describe("senior concessions by age on the visit date, from each region's rule data", () => {
  it.each([
    // Beijing: 60+ free at parks.
    ['11', '1966-03-03', '2026-03-02', 3000, null],
    ['11', '1966-03-02', '2026-03-02', 0, 'SENIOR_60_FREE'],
    ['11', '1930-01-01', '2026-03-02', 0, 'SENIOR_60_FREE'],
    // Tianjin: 60–69 half, 70+ free.
    ['12', '1966-03-03', '2026-03-02', 3000, null],
    ['12', '1966-03-02', '2026-03-02', 1500, 'SENIOR_60_69_HALF'],
    ['12', '1956-03-03', '2026-03-02', 1500, 'SENIOR_60_69_HALF'],
    ['12', '1956-03-02', '2026-03-02', 0, 'SENIOR_70_FREE'],
    // Hebei: 60–64 half, 65+ free.
    ['13', '1966-03-03', '2026-03-02', 3000, null],
    ['13', '1966-03-02', '2026-03-02', 1500, 'SENIOR_60_64_HALF'],
    ['13', '1961-03-03', '2026-03-02', 1500, 'SENIOR_60_64_HALF'],
    ['13', '1961-03-02', '2026-03-02', 0, 'SENIOR_65_FREE'],
  ] as const)('region %s, born %s, visiting %s: pays %i (%s)', (region, born, visit, priceFen, code) => {
    const p = priceFor(region, born, visit);
    expect(p.priceFen).toBe(priceFen);
    expect(p.concession?.code ?? null).toBe(code);
    if (code) expect(p.concession).toEqual({ kind: 'SENIOR', code, basis: `age ${ageOn(born, visit)} on ${visit}` });
  });

  it('counts a 29 February birthday from 1 March in common years', () => {
    expect(priceFor('11', '1966-02-29' as string, '2026-02-28').priceFen).toBe(3000);
    expect(priceFor('11', '1966-02-29' as string, '2026-03-01').priceFen).toBe(0);
  });

  it('applies bands only to the spot types they name: Beijing seniors pay at a scenic area', () => {
    expect(priceFor('11', '1940-01-01', '2026-03-02', { spotType: 'SCENIC_AREA' })).toMatchObject({ priceFen: 3000, concession: null });
    expect(priceFor('12', '1940-01-01', '2026-03-02', { spotType: 'SCENIC_AREA' }).priceFen).toBe(0);
  });

  it('rounds a half price half-up to whole fen', () => {
    expect(priceFor('12', '1960-01-01', '2026-03-02', { basePriceFen: 1501 }).priceFen).toBe(751);
    expect(priceFor('13', '1963-01-01', '2026-03-02', { basePriceFen: 4999 }).priceFen).toBe(2500);
  });

  it('prices a free spot at zero without a concession', () => {
    expect(priceFor('12', '1950-01-01', '2026-03-02', { basePriceFen: 0 })).toEqual({
      priceFen: 0,
      concession: null,
      takesCapacity: true,
      passId: null,
      rule: 'scenic.base-price',
    });
  });
});

describe('annual passes and re-entry', () => {
  const parkPass: HeldPass = { passId: 'P1', code: 'BJ_PARK_ANNUAL', validFrom: '2026-03-02', validUntil: '2027-01-31' };
  const jointPass: HeldPass = { passId: 'P2', code: 'JJJ_JOINT_ANNUAL', validFrom: '2026-03-02', validUntil: '2027-01-31' };
  const at = (region: Region, participation: string[], passes: HeldPass[], visitDate: string, age = 30) =>
    priceAdmission(rulesOf(region), { spot: spot(region, 'PARK', 3000, participation), age, visitDate, passes, firstEntry: null });

  it('admits a pass holder free at a participating spot, through 31 January next year', () => {
    expect(at('11', ['BJ_PARK_ANNUAL'], [parkPass], '2026-03-02')).toMatchObject({
      priceFen: 0,
      passId: 'P1',
      concession: { kind: 'ANNUAL_PASS', code: 'BJ_PARK_ANNUAL' },
    });
    expect(at('11', ['BJ_PARK_ANNUAL'], [parkPass], '2027-01-31').priceFen).toBe(0);
    expect(at('11', ['BJ_PARK_ANNUAL'], [parkPass], '2027-02-01').priceFen).toBe(3000);
    expect(at('11', ['BJ_PARK_ANNUAL'], [parkPass], '2026-03-01').priceFen).toBe(3000);
  });

  it("accepts a pass only where the spot takes part in its programme and the spot region's rules accept it", () => {
    expect(at('11', ['JJJ_SCENIC'], [parkPass], '2026-06-01').priceFen).toBe(3000);
    expect(at('11', ['JJJ_SCENIC'], [jointPass], '2026-06-01').priceFen).toBe(0);
    expect(at('12', ['JJJ_SCENIC'], [jointPass], '2026-06-01').priceFen).toBe(0);
    // Tianjin's rules do not accept the Beijing park pass, whatever the spot claims.
    expect(at('12', ['BJ_PARK_ANNUAL', 'JJJ_SCENIC'], [parkPass], '2026-06-01').priceFen).toBe(3000);
  });

  it('prefers the pass to a free senior band, and the longest-valid pass of several', () => {
    expect(at('11', ['BJ_PARK_ANNUAL'], [parkPass], '2026-06-01', 75).concession?.kind).toBe('ANNUAL_PASS');
    const later = { ...jointPass, passId: 'P3', validUntil: '2028-01-31' };
    expect(at('11', ['BJ_PARK_ANNUAL'], [parkPass, later], '2026-06-01').passId).toBe('P3');
  });

  it('lets a holder re-enter free the same day without taking a place', () => {
    const p = priceAdmission(rulesOf('13'), {
      spot: spot('13'),
      age: 30,
      visitDate: '2026-03-02',
      passes: [],
      firstEntry: { visitId: 'v1', tappedAt: '2026-03-02T09:00:00.000+08:00' },
    });
    expect(p).toEqual({
      priceFen: 0,
      concession: { kind: 'REENTRY', code: 'SAME_DAY_REENTRY', basis: 'first entry v1 at 2026-03-02T09:00:00.000+08:00' },
      takesCapacity: false,
      passId: null,
      rule: 'scenic.same-day-reentry',
    });
  });

  it('charges a re-entry and takes a place again where the rules do not make it free', () => {
    const p = priceAdmission(
      { ...rulesOf('13'), sameDayReentryFree: false },
      { spot: spot('13'), age: 30, visitDate: '2026-03-02', passes: [], firstEntry: { visitId: 'v1', tappedAt: 'x' } },
    );
    expect(p).toMatchObject({ priceFen: 3000, takesCapacity: true });
  });
});

describe('the tap verdict', () => {
  const facts = (over: Partial<TapFacts>): TapFacts => ({ spot: spot('11'), age: 30, visitDate: '2026-03-02', passes: [], firstEntry: null, ...over });
  const p = rulesOf('11');

  it('refuses an unconfigured spot', () => {
    expect(decideTap(p, facts({ spot: null }))).toMatchObject({ decision: 'DENY', reason: { code: 'SPOT_NOT_CONFIGURED' } });
  });

  it('refuses a balance below the price, and admits at exactly the price', () => {
    expect(decideTap(p, facts({ bankBalanceFen: 2999 }))).toMatchObject({
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE' },
      price: { priceFen: 3000 },
    });
    expect(decideTap(p, facts({ bankBalanceFen: 3000, capacityFull: false }))).toMatchObject({ decision: 'ALLOW', price: { priceFen: 3000 } });
  });

  it('refuses when the day is full, but lets a re-entry in', () => {
    expect(decideTap(p, facts({ bankBalanceFen: 5000, capacityFull: true }))).toMatchObject({ decision: 'DENY', reason: { code: 'CAPACITY_FULL' } });
    expect(decideTap(p, facts({ firstEntry: { visitId: 'v', tappedAt: 't' } }))).toMatchObject({
      decision: 'ALLOW',
      price: { priceFen: 0, takesCapacity: false },
    });
  });

  it('does not need a balance for a free entry', () => {
    expect(decideTap(p, facts({ age: 61, capacityFull: false }))).toMatchObject({ decision: 'ALLOW', price: { priceFen: 0 } });
  });

  it('insists on the facts the decision depends on', () => {
    expect(() => decideTap(p, facts({}))).toThrow('bank balance');
    expect(() => decideTap(p, facts({ bankBalanceFen: 9999 }))).toThrow('capacity');
  });
});
