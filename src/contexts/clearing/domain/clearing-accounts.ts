import type { Region } from '@onecard/kernel';

/** An account clearing posts to (mirrors the ledger's AccountSpec). */
export interface ClearingAccountSpec {
  code: string;
  region: Region;
  kind: 'CLEARING' | 'PREPAYMENT';
  balanceRule: 'UNBOUNDED';
}

/**
 * A region's clearing account: what the other regions owe it (positive) or it owes them
 * (negative) from closed days, before settlement.
 */
export function regionClearingAccount(region: Region): ClearingAccountSpec {
  return { code: `clearing:${region}`, region, kind: 'CLEARING', balanceRule: 'UNBOUNDED' };
}

/** The prepayment (预付金) a home region's medical fund keeps with a treatment region; the home's money. */
export function prepaymentAccount(home: Region, treatment: Region): ClearingAccountSpec {
  return { code: `prepayment:${home}:${treatment}`, region: home, kind: 'PREPAYMENT', balanceRule: 'UNBOUNDED' };
}
