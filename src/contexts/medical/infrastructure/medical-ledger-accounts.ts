import { Injectable } from '@nestjs/common';
import { openAccountsSql } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import type { MedicalAccountSpec } from '../domain/medical-accounts.js';

/**
 * Opens the fund, institution and patient-cash accounts a settlement posts to, the first time this
 * instance needs each one. Opening is idempotent and moves no money, so it runs on its own before
 * the settlement's transaction: a refused or rolled-back settlement cannot leave the memo wrong.
 */
@Injectable()
export class MedicalLedgerAccounts {
  private readonly opened = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  async ensure(specs: readonly MedicalAccountSpec[]): Promise<void> {
    const missing = specs.filter((s) => !this.opened.has(s.code));
    if (missing.length === 0) return;
    const { sql, params } = openAccountsSql(missing);
    await this.dataSource.query(sql, params);
    for (const s of missing) this.opened.add(s.code);
  }
}
