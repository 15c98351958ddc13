import { formatBusinessInstant, maskName, type Fen, type Region } from '@onecard/kernel';
import type { Scheme } from '../domain/card-accounts.js';
import type { CardGeneration } from '../domain/card-product.rule.js';
import type { CardStatus } from '../domain/card-status.js';
import type { CardRow } from '../infrastructure/cards.repository.js';

export interface AccountBalance {
  code: string;
  balanceFen: Fen;
}

/**
 * A card as operators see it. Personal data is masked; the birth date shows only its year, since
 * the masked national ID hides exactly the birth date (ADR 0006).
 */
export interface AdminCardView {
  cardNo: string;
  identificationCode: string;
  issuingRegion: Region;
  generation: CardGeneration;
  transitApp: boolean;
  status: CardStatus;
  issuedAt: string;
  statusChangedAt: string;
  replaces: string | null;
  replacedBy: string | null;
  holder: {
    holderId: string;
    name: string;
    nationalId: string;
    birthYear: number;
    homeRegion: Region;
    scheme: Scheme;
    retiree: boolean;
  };
  accounts: { bank: AccountBalance; transit: AccountBalance | null; personal: AccountBalance | null };
}

export function toAdminCardView(card: CardRow, balances: ReadonlyMap<string, number>): AdminCardView {
  const account = (code: string | null): AccountBalance | null => (code ? { code, balanceFen: balances.get(code) ?? 0 } : null);
  return {
    cardNo: card.cardNo,
    identificationCode: card.identificationCode,
    issuingRegion: card.issuingRegion,
    generation: card.generation,
    transitApp: card.transitApp,
    status: card.status,
    issuedAt: formatBusinessInstant(card.issuedAt),
    statusChangedAt: formatBusinessInstant(card.statusChangedAt),
    replaces: card.replaces,
    replacedBy: card.replacedBy?.cardNo ?? null,
    holder: {
      holderId: card.holder.holderId,
      name: maskName(card.holder.name),
      nationalId: card.holder.nationalIdMasked,
      birthYear: Number(card.holder.birthDate.slice(0, 4)),
      homeRegion: card.holder.homeRegion,
      scheme: card.holder.scheme,
      retiree: card.holder.retiree,
    },
    accounts: { bank: account(card.accounts.bank)!, transit: account(card.accounts.transit), personal: account(card.accounts.personal) },
  };
}
