import type { Fen, Region } from '@onecard/kernel';
import type { AccountSpec, Leg } from '@onecard/ledger';

/**
 * Where fine money goes (ADR 0011). A fine is the owning library's revenue the moment it is
 * charged, at return: the part the card's bank account pays moves at once; the part it cannot pay
 * is booked against the library's fines receivable, which goes negative by what holders owe it.
 * A later payment moves money from the card into the receivable, bringing it back toward zero.
 * So the ledger shows fines charged (revenue), collected (card → library) and owed (receivable).
 */
export function libraryRevenueAccount(libraryId: string, region: Region): AccountSpec {
  return { code: `venue:${libraryId}:revenue`, region, kind: 'REVENUE', balanceRule: 'UNBOUNDED' };
}

export function finesReceivableCode(libraryId: string): string {
  return `venue:${libraryId}:fines-receivable`;
}

export function libraryFinesReceivableAccount(libraryId: string, region: Region): AccountSpec {
  return { code: finesReceivableCode(libraryId), region, kind: 'RECEIVABLE', balanceRule: 'UNBOUNDED' };
}

/** The accounts a library's fines post to, opened once when the library gets its first item. */
export function libraryAccounts(libraryId: string, region: Region): AccountSpec[] {
  return [libraryRevenueAccount(libraryId, region), libraryFinesReceivableAccount(libraryId, region)];
}

/** The legs of a fine charged at return: the paid part from the bank, the owed part from the receivable. */
export function fineChargeLegs(bankAccount: string | null, libraryId: string, region: Region, chargedFen: Fen, outstandingFen: Fen): Leg[] {
  const revenue = libraryRevenueAccount(libraryId, region).code;
  const legs: Leg[] = [];
  if (chargedFen > 0) {
    if (!bankAccount) throw new Error('a fine charged to a card needs its bank account');
    legs.push({ from: bankAccount, to: revenue, amount: chargedFen });
  }
  if (outstandingFen > 0) legs.push({ from: finesReceivableCode(libraryId), to: revenue, amount: outstandingFen });
  return legs;
}

/** The legs of a fine payment: one per library, from the card's bank into that library's receivable. */
export function finePaymentLegs(bankAccount: string, allocations: readonly { libraryId: string; paidFen: Fen }[]): Leg[] {
  const perLibrary = new Map<string, Fen>();
  for (const a of allocations) perLibrary.set(a.libraryId, (perLibrary.get(a.libraryId) ?? 0) + a.paidFen);
  return [...perLibrary].filter(([, amount]) => amount > 0).map(([libraryId, amount]) => ({ from: bankAccount, to: finesReceivableCode(libraryId), amount }));
}
