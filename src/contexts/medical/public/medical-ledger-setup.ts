import { Injectable } from '@nestjs/common';
import { VenueDirectory } from '@contexts/registry';
import { REGIONS } from '@onecard/kernel';
import { fundAccount, institutionAccount, patientCashAccount } from '../domain/medical-accounts.js';
import { MedicalLedgerAccounts } from '../infrastructure/medical-ledger-accounts.js';

/**
 * Opens the ledger accounts medical settlements post to — the three home regions' pooled funds,
 * the patient-cash counterparties and every clinic's receivable — so reports list them before the
 * first settlement (settlements also open them on first use). For the seed and operations.
 */
@Injectable()
export class MedicalLedgerSetup {
  constructor(
    private readonly venues: VenueDirectory,
    private readonly accounts: MedicalLedgerAccounts,
  ) {}

  async openAccounts(): Promise<{ clinics: number; accounts: number }> {
    const clinics = await this.venues.listVenues('CLINIC');
    const specs = [...REGIONS.flatMap((r) => [fundAccount(r), patientCashAccount(r)]), ...clinics.map((c) => institutionAccount(c.venueId, c.region))];
    await this.accounts.ensure(specs);
    return { clinics: clinics.length, accounts: specs.length };
  }
}
