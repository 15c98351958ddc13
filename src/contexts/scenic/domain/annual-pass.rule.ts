import type { BusinessDate, Fen, Reason, Region } from '@onecard/kernel';
import type { ScenicAdmissionParameters } from '@onecard/rules';
import { AnnualPassReasons, type AnnualPassReasonCode } from './scenic-reasons.js';

export type AnnualPassProduct = ScenicAdmissionParameters['annualPasses'][number];

/**
 * The last day a pass bought on `purchaseDate` is valid: the rule's month and day of the purchase
 * year plus `yearsAfterPurchase` (31 January next year: {1, 31, 1}). A day past the month's end
 * (31 February) is the month's last day.
 */
export function passValidUntil(product: Pick<AnnualPassProduct, 'validUntil'>, purchaseDate: BusinessDate): BusinessDate {
  const { month, day, yearsAfterPurchase } = product.validUntil;
  const year = Number(purchaseDate.slice(0, 4)) + yearsAfterPurchase;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(day, lastDay))}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Which region's rules sell `code`: the requested region if it sells it; without a request the one
 * region that sells it, and if several do, the card's issuing region when it is one of them, else
 * the lowest region code. Null: nobody sells it (on that date).
 */
export function sellingRegion(
  offers: readonly { region: Region; parameters: ScenicAdmissionParameters }[],
  code: string,
  requested: Region | null,
  issuingRegion: Region,
): Region | null {
  const selling = offers
    .filter((o) => o.parameters.annualPasses.some((a) => a.code === code && a.soldHere))
    .map((o) => o.region)
    .sort();
  if (requested) return selling.includes(requested) ? requested : null;
  if (selling.length === 0) return null;
  return selling.includes(issuingRegion) ? issuingRegion : selling[0]!;
}

export interface PassSaleFacts {
  purchaseDate: BusinessDate;
  /** `validUntil` of the holder's passes of the same code. */
  heldValidUntil: BusinessDate[];
  /** The bank balance read under lock (absent when refused before it was read). */
  bankBalanceFen?: Fen;
}

export type PassSaleVerdict =
  | { decision: 'ALLOW'; priceFen: Fen; validFrom: BusinessDate; validUntil: BusinessDate }
  | { decision: 'DENY'; reason: Reason<AnnualPassReasonCode>; rule: string };

function deny(code: AnnualPassReasonCode, rule: string): PassSaleVerdict {
  return { decision: 'DENY', reason: { code, message: AnnualPassReasons[code] }, rule };
}

/**
 * A sale from the selling region's rules: the product must be sold there; a holder who already has
 * the same pass valid as long as the new one would be gains nothing (a renewal in January, while
 * last year's pass still runs, is allowed); the bank account must cover the price.
 */
export function decidePassSale(product: AnnualPassProduct | null, facts: PassSaleFacts): PassSaleVerdict {
  if (!product || !product.soldHere) return deny('PASS_NOT_SOLD', 'scenic.annual-pass-sale');
  const validUntil = passValidUntil(product, facts.purchaseDate);
  if (facts.heldValidUntil.some((held) => held >= validUntil)) return deny('PASS_ALREADY_HELD', 'scenic.annual-pass-sale');
  if (product.priceFen > 0) {
    if (facts.bankBalanceFen === undefined) throw new Error('a priced pass needs the bank balance');
    if (facts.bankBalanceFen < product.priceFen) return deny('INSUFFICIENT_BALANCE', 'scenic.bank-balance');
  }
  return { decision: 'ALLOW', priceFen: product.priceFen, validFrom: facts.purchaseDate, validUntil };
}

/** The ledger account the selling region's pass sales are paid into. */
export function passRevenueAccount(region: Region, code: string): string {
  return `pass:${region}:${code}:revenue`;
}
