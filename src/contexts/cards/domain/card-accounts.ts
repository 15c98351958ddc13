import type { Region } from '@onecard/kernel';

export type Scheme = 'EMPLOYEE' | 'RESIDENT';

/** The ledger accounts a card carries (third-generation cards keep them separate: REFERENCE.md §4). */
export interface CardAccountCodes {
  /** The card's financial (bank) account: always. */
  bank: string;
  /** 中铁银通 rail wallet: only with the transit application. */
  transit: string | null;
  /** Medical-insurance personal account (个人账户): employees only. */
  personal: string | null;
}

export interface AccountOwner {
  cardNo: string;
  issuingRegion: Region;
  transitApp: boolean;
  scheme: Scheme;
  homeRegion: Region;
}

export function cardAccountCodes(card: Pick<AccountOwner, 'cardNo' | 'transitApp' | 'scheme'>): CardAccountCodes {
  return {
    bank: `card:${card.cardNo}:bank`,
    transit: card.transitApp ? `card:${card.cardNo}:transit` : null,
    personal: card.scheme === 'EMPLOYEE' ? `card:${card.cardNo}:personal` : null,
  };
}

/** Account specs as the ledger opens them. Money never goes below zero on a card. */
export function cardAccountSpecs(card: AccountOwner): { code: string; region: Region; kind: string; balanceRule: 'NON_NEGATIVE' }[] {
  const codes = cardAccountCodes(card);
  const specs = [{ code: codes.bank, region: card.issuingRegion, kind: 'CARD_BANK', balanceRule: 'NON_NEGATIVE' as const }];
  if (codes.transit) specs.push({ code: codes.transit, region: card.issuingRegion, kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' });
  // The personal account belongs to the insuring (home) region's fund, whatever region issued the card.
  if (codes.personal) specs.push({ code: codes.personal, region: card.homeRegion, kind: 'CARD_PERSONAL', balanceRule: 'NON_NEGATIVE' });
  return specs;
}
