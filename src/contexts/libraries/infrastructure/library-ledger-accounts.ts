import { Injectable } from '@nestjs/common';
import type { Region } from '@onecard/kernel';
import { LedgerAccounts } from '@onecard/ledger';
import { libraryAccounts } from '../domain/fine-accounts.js';

/**
 * A library's revenue and fines receivable, opened outside any circulation command: when its items
 * are registered in bulk (the seed), and before a return that may fine an item of a library whose
 * items were registered before the accounts were opened with them. Opening is idempotent and moves
 * no money; each instance opens each library's accounts at most once.
 */
@Injectable()
export class LibraryLedgerAccounts {
  private readonly opened = new Set<string>();

  constructor(private readonly accounts: LedgerAccounts) {}

  async ensure(libraries: readonly { libraryId: string; region: Region }[]): Promise<void> {
    const missing = new Map(libraries.filter((l) => !this.opened.has(l.libraryId)).map((l) => [l.libraryId, l]));
    if (missing.size === 0) return;
    await this.accounts.open([...missing.values()].flatMap((l) => libraryAccounts(l.libraryId, l.region)));
    for (const libraryId of missing.keys()) this.opened.add(libraryId);
  }
}
