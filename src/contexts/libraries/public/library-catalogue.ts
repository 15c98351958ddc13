import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@onecard/kernel';
import { BARCODE_PATTERN } from '../domain/library.js';
import { CirculationRepository } from '../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../infrastructure/library-directory.js';
import { LibraryLedgerAccounts } from '../infrastructure/library-ledger-accounts.js';

export interface CatalogueItem {
  barcode: string;
  /** The owning library: a LIBRARY venue with a `network` attribute. */
  libraryId: string;
  title: string;
}

/**
 * Bulk registration of items for the seed (operators use `POST /v1/admin/libraries/items`, which
 * is journaled). Moves no money, so it is not journaled; existing barcodes are left as they are. The
 * libraries' fine accounts are opened with their items.
 */
@Injectable()
export class LibraryCatalogue {
  constructor(
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
    private readonly accounts: LibraryLedgerAccounts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Answers how many items were new. */
  async addItems(items: readonly CatalogueItem[]): Promise<number> {
    const rows = [];
    for (const item of items) {
      if (!BARCODE_PATTERN.test(item.barcode)) throw new Error(`bad barcode "${item.barcode}"`);
      const library = await this.libraries.find(item.libraryId);
      if (!library?.network) throw new Error(`item ${item.barcode}: ${item.libraryId} is not a library with a network`);
      rows.push({ barcode: item.barcode, libraryId: library.libraryId, network: library.network, region: library.region, title: item.title });
    }
    const added = await this.repository.insertItems(rows, this.clock.now());
    await this.accounts.ensure(rows);
    return added.length;
  }
}
