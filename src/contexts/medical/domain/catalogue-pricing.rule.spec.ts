import { catalogueData } from '../testing/medical-rule-data.js';
import { priceItems, withinRecognitionWindow } from './catalogue-pricing.rule.js';
import type { Institution, RecognisedResult } from './visit.js';

const TJ = catalogueData('12');
const CBC = '250101015'; // A, recognised lab item
const CT = '210300001'; // A, recognised imaging item
const CT_CONTRAST = '210300002'; // B, recognised imaging item
const STOOL = '250103001'; // A lab item, not recognised

const participating: Institution = { venueId: 'CLN-12-A', region: '12', level: 3, community: false, recognition: true };
const earlier = (code: string, performedOn: string): RecognisedResult => ({ code, settlementId: 'st-earlier', institutionId: 'CLN-11-B', performedOn });

describe('result recognition (检查检验结果互认)', () => {
  const on = '2026-03-31';

  it('counts the window in whole Asia/Shanghai days, inclusive: day 30 is in, day 31 out', () => {
    expect(withinRecognitionWindow('2026-03-01', on, 30)).toBe(true);
    expect(withinRecognitionWindow('2026-02-28', on, 30)).toBe(false);
    expect(withinRecognitionWindow(on, on, 30)).toBe(true);
    expect(withinRecognitionWindow('2026-04-01', on, 30)).toBe(false); // a later result never counts
    expect(withinRecognitionWindow(on, on, 0)).toBe(true);
  });

  it('reuses a result from day 30 and charges 0; charges the item on day 31', () => {
    const items = [{ code: CBC, quantity: 1, unitPriceFen: 2500 }];
    const [day30] = priceItems(items, TJ, { institution: participating, on, candidates: [earlier(CBC, '2026-03-01')] });
    expect(day30).toMatchObject({
      recognised: true,
      amountFen: 0,
      selfPaidFen: 0,
      inPolicyFen: 0,
      recognisedResult: { settlementId: 'st-earlier', institutionId: 'CLN-11-B', performedOn: '2026-03-01' },
    });
    const [day31] = priceItems(items, TJ, { institution: participating, on, candidates: [earlier(CBC, '2026-02-28')] });
    expect(day31).toMatchObject({ recognised: false, amountFen: 2500, inPolicyFen: 2500, recognisedResult: null });
  });

  it('charges the item when it carries an override, keeping the earlier result and the reason on record', () => {
    const [line] = priceItems([{ code: CT, quantity: 1, unitPriceFen: 30_000, override: { reason: 'symptoms changed' } }], TJ, {
      institution: participating,
      on,
      candidates: [earlier(CT, '2026-03-20')],
    });
    expect(line).toMatchObject({ recognised: false, amountFen: 30_000, overrideReason: 'symptoms changed', recognisedResult: { performedOn: '2026-03-20' } });
  });

  it('reuses only recognisable items, only at a participating institution', () => {
    const [stool] = priceItems([{ code: STOOL, quantity: 1, unitPriceFen: 800 }], TJ, { institution: participating, on, candidates: [earlier(STOOL, on)] });
    expect(stool).toMatchObject({ recognised: false, recognisable: null, amountFen: 800 });
    const [elsewhere] = priceItems([{ code: CBC, quantity: 1, unitPriceFen: 2500 }], TJ, {
      institution: { ...participating, recognition: false },
      on,
      candidates: [earlier(CBC, on)],
    });
    expect(elsewhere).toMatchObject({ recognised: false, amountFen: 2500, recognisable: 'lab' });
  });

  it('reuses a recognised B item whole (nothing self-paid either)', () => {
    const [line] = priceItems([{ code: CT_CONTRAST, quantity: 1, unitPriceFen: 45_000 }], TJ, {
      institution: participating,
      on,
      candidates: [earlier(CT_CONTRAST, '2026-03-30')],
    });
    expect(line).toMatchObject({ category: 'B', recognised: true, amountFen: 0, selfPaidFen: 0, inPolicyFen: 0 });
  });
});

describe('category B self-paid-first share', () => {
  it.each([
    [10_000, 1000],
    [5, 1], // 0.5 → 1 (half up)
    [4, 0], // 0.4 → 0
    [15, 2], // 1.5 → 2
    [1, 0],
  ])('of %i fen at 10 %% is %i fen (half up), the rest in policy', (price, selfPaid) => {
    const [line] = priceItems([{ code: CT_CONTRAST, quantity: 1, unitPriceFen: price }], TJ, { institution: participating, on: '2026-03-02', candidates: [] });
    expect(line).toMatchObject({ selfPaidFen: selfPaid, inPolicyFen: price - selfPaid });
  });

  it("uses an item's own share when the catalogue gives one", () => {
    const custom = { ...TJ, items: TJ.items.map((i) => (i.code === CT_CONTRAST ? { ...i, selfPaidFirstBp: 2000 } : i)) };
    const [line] = priceItems([{ code: CT_CONTRAST, quantity: 2, unitPriceFen: 10_000 }], custom, {
      institution: participating,
      on: '2026-03-02',
      candidates: [],
    });
    expect(line).toMatchObject({ amountFen: 20_000, selfPaidFen: 4000, inPolicyFen: 16_000 });
  });
});
