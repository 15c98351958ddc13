import { Injectable } from '@nestjs/common';
import { MedicalLedgerSetup } from '@contexts/medical';
import type { SeedContext, SeedStep } from '../seed-step.js';

/** The medical funds, patient-cash accounts and every seeded clinic's receivable, opened in the ledger. */
@Injectable()
export class MedicalSeedStep implements SeedStep {
  readonly name = 'medical.ledger-accounts';

  constructor(private readonly setup: MedicalLedgerSetup) {}

  async run(_ctx: SeedContext): Promise<string> {
    const { clinics, accounts } = await this.setup.openAccounts();
    return `${accounts} medical ledger accounts (${clinics} clinic receivables, 3 funds, 3 patient-cash)`;
  }
}
