import { Injectable } from '@nestjs/common';
import { openAccountsSql } from '@onecard/ledger';
import { DataSource } from 'typeorm';
import type { MedicalAccountSpec } from '../domain/medical-accounts.js';

/**
 * The fund, institution and patient-cash accounts settlements post to, opened the first time this
 * instance needs each one: by a settlement, with its commit (`tx.ledger.openAccounts`, idempotent),
 * or by the ledger set-up on its own. An account counts as open here once a commit that opened it
 * went through, so a refused or rolled-back settlement cannot leave the memo wrong.
 */
@Injectable()
export class MedicalLedgerAccounts {
  private readonly opened = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Those of `specs` this instance has not seen opened. */
  unopened(specs: readonly MedicalAccountSpec[]): MedicalAccountSpec[] {
    return specs.filter((s) => !this.opened.has(s.code));
  }

  /** Remembers accounts as open (after the commit that opened them). */
  markOpened(specs: readonly MedicalAccountSpec[]): void {
    for (const s of specs) this.opened.add(s.code);
  }

  /** Opens the accounts now, outside any command (the ledger set-up). */
  async ensure(specs: readonly MedicalAccountSpec[]): Promise<void> {
    const missing = this.unopened(specs);
    if (missing.length === 0) return;
    const { sql, params } = openAccountsSql(missing);
    await this.dataSource.query(sql, params);
    this.markOpened(missing);
  }
}
