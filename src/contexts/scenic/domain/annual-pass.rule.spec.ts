import type { Region } from '@onecard/kernel';
import { DEFAULT_RULE_KINDS, kindKey, validateRuleFiles, type RuleKind, type ScenicAdmissionParameters } from '@onecard/rules';
import { decidePassSale, passValidUntil, sellingRegion, type AnnualPassProduct } from './annual-pass.rule.js';

const kinds = new Map<string, RuleKind<unknown>>(DEFAULT_RULE_KINDS.map((k) => [kindKey(k), k]));
const { valid } = validateRuleFiles('rules', kinds);
const offers = (['11', '12', '13'] as Region[]).map((region) => ({
  region,
  parameters: valid
    .filter((v) => v.rs.content.context === 'scenic' && v.rs.content.region === region)
    .sort((a, b) => b.rs.content.version - a.rs.content.version)[0]!.rs.parameters as ScenicAdmissionParameters,
}));
const product = (code: string, region: Region = '11'): AnnualPassProduct =>
  offers.find((o) => o.region === region)!.parameters.annualPasses.find((a) => a.code === code)!;

describe('annual pass validity', () => {
  it.each([
    ['2026-03-02', '2027-01-31'],
    ['2026-01-01', '2027-01-31'],
    ['2026-12-31', '2027-01-31'],
    ['2027-01-31', '2028-01-31'],
  ])('bought %s: valid through %s (31 January next year, from the rule data)', (bought, until) => {
    expect(passValidUntil(product('BJ_PARK_ANNUAL'), bought)).toBe(until);
  });

  it('ends on the last day of a short month', () => {
    expect(passValidUntil({ validUntil: { month: 2, day: 31, yearsAfterPurchase: 1 } }, '2027-05-05')).toBe('2028-02-29');
    expect(passValidUntil({ validUntil: { month: 2, day: 31, yearsAfterPurchase: 0 } }, '2026-01-05')).toBe('2026-02-28');
  });
});

describe('which region sells a pass', () => {
  it("finds the seller, prefers the card's region among several, and refuses a region that only accepts it", () => {
    expect(sellingRegion(offers, 'BJ_PARK_ANNUAL', null, '12')).toBe('11');
    expect(sellingRegion(offers, 'JJJ_JOINT_ANNUAL', null, '13')).toBe('11');
    expect(sellingRegion(offers, 'JJJ_JOINT_ANNUAL', '12', '12')).toBeNull();
    expect(sellingRegion(offers, 'JJJ_JOINT_ANNUAL', '11', '12')).toBe('11');
    expect(sellingRegion(offers, 'NO_SUCH_PASS', null, '11')).toBeNull();
    const both = [...offers, { region: '12' as Region, parameters: offers[0]!.parameters }];
    expect(sellingRegion(both, 'BJ_PARK_ANNUAL', null, '12')).toBe('12');
    expect(sellingRegion(both, 'BJ_PARK_ANNUAL', null, '13')).toBe('11');
  });
});

describe('a pass sale', () => {
  const park = product('BJ_PARK_ANNUAL');

  it('sells at the rule price, valid from today through 31 January next year', () => {
    expect(decidePassSale(park, { purchaseDate: '2026-03-02', heldValidUntil: [], bankBalanceFen: 10_000 })).toEqual({
      decision: 'ALLOW',
      priceFen: 10_000,
      validFrom: '2026-03-02',
      validUntil: '2027-01-31',
    });
  });

  it('refuses a product not sold here', () => {
    expect(decidePassSale(null, { purchaseDate: '2026-03-02', heldValidUntil: [] })).toMatchObject({ reason: { code: 'PASS_NOT_SOLD' } });
    expect(decidePassSale(product('JJJ_JOINT_ANNUAL', '12'), { purchaseDate: '2026-03-02', heldValidUntil: [] })).toMatchObject({
      reason: { code: 'PASS_NOT_SOLD' },
    });
  });

  it("refuses the same pass for the same period, but sells next year's in January", () => {
    expect(decidePassSale(park, { purchaseDate: '2026-11-02', heldValidUntil: ['2027-01-31'], bankBalanceFen: 99_999 })).toMatchObject({
      reason: { code: 'PASS_ALREADY_HELD' },
    });
    expect(decidePassSale(park, { purchaseDate: '2027-01-10', heldValidUntil: ['2027-01-31'], bankBalanceFen: 99_999 })).toMatchObject({
      decision: 'ALLOW',
      validUntil: '2028-01-31',
    });
  });

  it('refuses a bank balance below the price', () => {
    expect(decidePassSale(park, { purchaseDate: '2026-03-02', heldValidUntil: [], bankBalanceFen: 9_999 })).toMatchObject({
      reason: { code: 'INSUFFICIENT_BALANCE' },
    });
  });
});
