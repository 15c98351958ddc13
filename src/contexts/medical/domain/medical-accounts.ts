import type { Fen, Region } from '@onecard/kernel';

/** A ledger account as the ledger opens it (mirrors the ledger's AccountSpec; domain stays free of libraries' internals). */
export interface MedicalAccountSpec {
  code: string;
  region: Region;
  kind: string;
  balanceRule: 'UNBOUNDED';
  shards: number;
}

/** The home region's pooled medical fund (统筹基金): pays its share of every settlement of its insured. */
export function fundAccount(homeRegion: Region): MedicalAccountSpec {
  return { code: `fund:${homeRegion}:medical-pool`, region: homeRegion, kind: 'FUND', balanceRule: 'UNBOUNDED', shards: 8 };
}

/** What an institution is owed for settled care: credited by fund, personal account and cash. */
export function institutionAccount(venueId: string, region: Region): MedicalAccountSpec {
  return { code: `institution:${venueId}:receivable`, region, kind: 'INSTITUTION_RECEIVABLE', balanceRule: 'UNBOUNDED', shards: 4 };
}

/** Cash patients pay at the counter, from outside the system, in the institution's region. */
export function patientCashAccount(region: Region): MedicalAccountSpec {
  return { code: `external:patient-cash:${region}`, region, kind: 'EXTERNAL', balanceRule: 'UNBOUNDED', shards: 8 };
}

export interface SettlementLeg {
  from: string;
  to: string;
  amount: Fen;
}

/**
 * One group, all-or-nothing: fund → institution, personal account → institution, cash →
 * institution; a zero part is no leg.
 */
export function settlementLegs(
  parts: { fundFen: Fen; personalAccountFen: Fen; cashFen: Fen },
  accounts: { fund: string; personal: string | null; cash: string; institution: string },
): SettlementLeg[] {
  const legs: SettlementLeg[] = [];
  if (parts.fundFen > 0) legs.push({ from: accounts.fund, to: accounts.institution, amount: parts.fundFen });
  if (parts.personalAccountFen > 0) {
    if (!accounts.personal) throw new Error('a personal-account payment needs a personal account');
    legs.push({ from: accounts.personal, to: accounts.institution, amount: parts.personalAccountFen });
  }
  if (parts.cashFen > 0) legs.push({ from: accounts.cash, to: accounts.institution, amount: parts.cashFen });
  return legs;
}
