import { mulDiv, type BusinessDate, type Fen, type Reason } from '@onecard/kernel';
import type { ScenicAdmissionParameters } from '@onecard/rules';
import { ScenicTapReasons, type ScenicTapReasonCode } from './scenic-reasons.js';
import type { SpotConfig } from './spot.js';

/** An annual pass the holder has, as the tap sees it. */
export interface HeldPass {
  passId: string;
  code: string;
  validFrom: BusinessDate;
  validUntil: BusinessDate;
}

/** The holder's first entry at this spot on the visit date, if any. */
export interface FirstEntry {
  visitId: string;
  tappedAt: string;
}

export type ConcessionKind = 'REENTRY' | 'ANNUAL_PASS' | 'SENIOR';

/** Why the visitor pays less than the base price: the rule's code and what it rested on. */
export interface Concession {
  kind: ConcessionKind;
  /** `SAME_DAY_REENTRY`, the pass code (`BJ_PARK_ANNUAL`), or the senior band (`SENIOR_70_FREE`). */
  code: string;
  basis: string;
}

export interface AdmissionPrice {
  priceFen: Fen;
  concession: Concession | null;
  /** A re-entry does not take a place of the day's capacity again. */
  takesCapacity: boolean;
  /** The annual pass that admitted free, if one did. */
  passId: string | null;
  /** Which rule priced it, for the journal. */
  rule: string;
}

export interface AdmissionInput {
  spot: SpotConfig;
  /** The holder's age in whole years on the visit date (Asia/Shanghai). */
  age: number;
  visitDate: BusinessDate;
  passes: readonly HeldPass[];
  firstEntry: FirstEntry | null;
}

/**
 * The price of one entry by the spot region's rules, cheapest basis first:
 *  1. a same-day re-entry is free (when the rules say so) and takes no capacity;
 *  2. a free spot (base price 0) is free, without a concession;
 *  3. an annual pass valid on the visit date whose programme the spot takes part in: free;
 *  4. the senior band for the holder's age on the visit date and the spot type: `payBp` of the base
 *     price, rounded by the rules' `priceRounding`;
 *  5. otherwise the base price.
 * A pass wins over a free senior band (both free): the holder paid for the pass.
 */
export function priceAdmission(p: ScenicAdmissionParameters, input: AdmissionInput): AdmissionPrice {
  const { spot, age, visitDate, passes, firstEntry } = input;
  if (firstEntry && p.sameDayReentryFree) {
    return {
      priceFen: 0,
      concession: { kind: 'REENTRY', code: 'SAME_DAY_REENTRY', basis: `first entry ${firstEntry.visitId} at ${firstEntry.tappedAt}` },
      takesCapacity: false,
      passId: null,
      rule: 'scenic.same-day-reentry',
    };
  }
  if (spot.basePriceFen === 0) return { priceFen: 0, concession: null, takesCapacity: true, passId: null, rule: 'scenic.base-price' };

  const pass = acceptedPass(p, spot, passes, visitDate);
  if (pass) {
    return {
      priceFen: 0,
      concession: { kind: 'ANNUAL_PASS', code: pass.code, basis: `pass ${pass.passId} valid ${pass.validFrom} to ${pass.validUntil}` },
      takesCapacity: true,
      passId: pass.passId,
      rule: 'scenic.annual-pass',
    };
  }

  const band = p.seniorConcessions.find((c) => c.appliesTo.includes(spot.spotType) && age >= c.minAge && (c.maxAge === null || age <= c.maxAge));
  if (band) {
    return {
      priceFen: mulDiv(spot.basePriceFen, band.payBp, 10_000, p.priceRounding),
      concession: { kind: 'SENIOR', code: band.code, basis: `age ${age} on ${visitDate}` },
      takesCapacity: true,
      passId: null,
      rule: 'scenic.senior-concession',
    };
  }
  return { priceFen: spot.basePriceFen, concession: null, takesCapacity: true, passId: null, rule: 'scenic.base-price' };
}

/**
 * The pass that admits free here: valid on the visit date, of a programme the spot region's rules
 * accept, whose participation codes meet the spot's. Several: the one valid longest, then by id.
 */
export function acceptedPass(
  p: ScenicAdmissionParameters,
  spot: Pick<SpotConfig, 'participation'>,
  passes: readonly HeldPass[],
  visitDate: BusinessDate,
): HeldPass | null {
  const candidates = passes
    .filter((h) => h.validFrom <= visitDate && visitDate <= h.validUntil)
    .filter((h) => p.annualPasses.some((a) => a.code === h.code && a.participation.some((code) => spot.participation.includes(code))))
    .sort((a, b) => (a.validUntil === b.validUntil ? a.passId.localeCompare(b.passId) : a.validUntil < b.validUntil ? 1 : -1));
  return candidates[0] ?? null;
}

/** What a tap decided once the card passed its status check. */
export interface TapFacts {
  /** Null when the spot has no admission configuration. */
  spot: SpotConfig | null;
  age: number;
  visitDate: BusinessDate;
  passes: HeldPass[];
  firstEntry: FirstEntry | null;
  /** The bank balance read under lock; present when the price was above zero. */
  bankBalanceFen?: Fen;
  /** Whether the day's capacity was full; present when the entry needed a place. */
  capacityFull?: boolean;
}

export type TapVerdict =
  { decision: 'ALLOW'; price: AdmissionPrice } | { decision: 'DENY'; reason: Reason<ScenicTapReasonCode>; price: AdmissionPrice | null; rule: string };

function deny(code: ScenicTapReasonCode, price: AdmissionPrice | null, rule: string): TapVerdict {
  return { decision: 'DENY', reason: { code, message: ScenicTapReasons[code] }, price, rule };
}

/**
 * The decision from the facts, in order: spot configured → price → bank balance covers the price
 * → a place left in the day's capacity. The handler gathers the facts in that order (balance read
 * under lock only when there is something to pay; capacity taken only when the rest allows) and
 * replay recomputes the same verdict from the recorded facts.
 */
export function decideTap(p: ScenicAdmissionParameters, facts: TapFacts): TapVerdict {
  if (!facts.spot) return deny('SPOT_NOT_CONFIGURED', null, 'scenic.spot-configuration');
  const price = priceAdmission(p, { spot: facts.spot, age: facts.age, visitDate: facts.visitDate, passes: facts.passes, firstEntry: facts.firstEntry });
  if (price.priceFen > 0) {
    if (facts.bankBalanceFen === undefined) throw new Error('a priced entry needs the bank balance');
    if (facts.bankBalanceFen < price.priceFen) return deny('INSUFFICIENT_BALANCE', price, 'scenic.bank-balance');
  }
  if (price.takesCapacity) {
    if (facts.capacityFull === undefined) throw new Error('an entry that takes a place needs the capacity check');
    if (facts.capacityFull) return deny('CAPACITY_FULL', price, 'scenic.daily-capacity');
  }
  return { decision: 'ALLOW', price };
}
