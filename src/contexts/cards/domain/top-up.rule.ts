import type { Fen, Reason, Region } from '@onecard/kernel';
import type { CardAccountCodes } from './card-accounts.js';

export const TOP_UP_ACCOUNTS = ['TRANSIT', 'BANK', 'PERSONAL'] as const;
export type TopUpAccount = (typeof TOP_UP_ACCOUNTS)[number];

/** One account type's limits, from rule data `cards/top-up-limits` of the card's issuing region. */
export interface TopUpLimit {
  minimumFen: Fen;
  maximumFen: Fen;
  /** The balance may not exceed this after the top-up; null: no cap. */
  balanceCapFen: Fen | null;
}

export const TopUpReasons = {
  TOP_UP_BELOW_MINIMUM: 'The amount is below the smallest top-up allowed for this account.',
  TOP_UP_ABOVE_MAXIMUM: 'The amount is above the largest single top-up allowed for this account.',
  BALANCE_CAP_EXCEEDED: 'The top-up would take the balance above the cap for this account.',
  NO_TRANSIT_APPLICATION: 'The card does not carry the 中铁银通 transit application.',
  NO_PERSONAL_ACCOUNT: 'Only employee (职工) cards have a medical personal account.',
  TOP_UP_RULES_NOT_IN_FORCE: 'No top-up rules are in force for this card today.',
} as const;
export type TopUpReasonCode = keyof typeof TopUpReasons;

function reason(code: TopUpReasonCode): Reason<TopUpReasonCode> {
  return { code, message: TopUpReasons[code] };
}

/** The card's account a top-up goes to, or why the card has none of that type. */
export function topUpTarget(accounts: CardAccountCodes, account: TopUpAccount): { code: string } | { refusal: Reason<TopUpReasonCode> } {
  switch (account) {
    case 'BANK':
      return { code: accounts.bank };
    case 'TRANSIT':
      return accounts.transit ? { code: accounts.transit } : { refusal: reason('NO_TRANSIT_APPLICATION') };
    case 'PERSONAL':
      return accounts.personal ? { code: accounts.personal } : { refusal: reason('NO_PERSONAL_ACCOUNT') };
  }
}

/** Checks an amount against the limits, in this order: minimum, maximum, balance cap. */
export function topUpRefusal(amountFen: Fen, balanceFen: Fen, limit: TopUpLimit): Reason<TopUpReasonCode> | null {
  if (amountFen < limit.minimumFen) return reason('TOP_UP_BELOW_MINIMUM');
  if (amountFen > limit.maximumFen) return reason('TOP_UP_ABOVE_MAXIMUM');
  if (limit.balanceCapFen !== null && balanceFen + amountFen > limit.balanceCapFen) return reason('BALANCE_CAP_EXCEEDED');
  return null;
}

/**
 * Where top-up money comes from (ADR 0006): cash or bank transfers paid in for the bank account and
 * the transit wallet are `external:cash-in:<issuing region>`; a medical personal account is
 * credited from the employee's contributions, `external:medical-contributions:<home region>`.
 */
export function topUpSource(
  account: TopUpAccount,
  card: { issuingRegion: Region; homeRegion: Region },
): { code: string; region: Region; kind: 'EXTERNAL'; balanceRule: 'UNBOUNDED'; shards: number } {
  return account === 'PERSONAL'
    ? { code: `external:medical-contributions:${card.homeRegion}`, region: card.homeRegion, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 8 }
    : { code: `external:cash-in:${card.issuingRegion}`, region: card.issuingRegion, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 8 };
}
