import { CommandHandler } from '@nestjs/cqrs';
import { formatBusinessInstant, Problems } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { libraryAccounts } from '../../domain/fine-accounts.js';
import { LIBRARIES_COMMANDS } from '../../domain/libraries-commands.js';
import type { Library } from '../../domain/library.js';
import { CirculationRepository } from '../../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { AddItemCommand, type ItemView } from './add-item.command.js';

/**
 * Registers an item with its owning library, which must be a LIBRARY venue with a network; the
 * library's fine accounts (revenue, fines receivable) are opened with its items (idempotently), so
 * a return with a fine only posts. The barcode is the idempotency key: the same body again replays the 201 (a racing
 * twin waits for the first and replays it), another body is a 409, and a barcode registered
 * otherwise (the seed) is a 409 naming the item. An admin command: it runs alone.
 */
@CommandHandler(AddItemCommand)
export class AddItemHandler extends PlannedCommandHandler<AddItemCommand, ItemView> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
  ) {
    super(executor);
  }

  protected async plan(command: AddItemCommand): Promise<CommandPlan<ItemView>> {
    const { barcode, libraryId, title } = command;
    const library = await this.libraries.find(libraryId);
    if (!library) throw Problems.validation([{ pointer: '/libraryId', detail: `no library ${libraryId} is registered` }]);
    if (!library.network)
      throw Problems.validation([{ pointer: '/libraryId', detail: `library ${libraryId} has no network attribute, so nothing can be lent from it` }]);
    return {
      envelope: { type: LIBRARIES_COMMANDS.addItem, id: barcode, context: 'libraries', actor: command.actor, payload: { barcode, libraryId, title } },
      decide: (_, tx) => this.register(tx, command, library),
    };
  }

  /** The item inserted unless its barcode is taken, and its library's fine accounts opened. */
  private async register(tx: CommandTx, command: AddItemCommand, library: Library): Promise<CommandOutcome<ItemView>> {
    const { barcode, libraryId, title } = command;
    const network = library.network!;
    const added = await this.repository.insertItems([{ barcode, libraryId: library.libraryId, network, region: library.region, title }], tx.now, tx);
    if (added.length === 0) {
      const existing = await this.repository.findItem(barcode, tx);
      throw Problems.conflict(`Item ${barcode} is already registered.`, { barcode, libraryId: existing?.libraryId ?? null });
    }
    tx.ledger.openAccounts(libraryAccounts(library.libraryId, library.region));
    const view: ItemView = { barcode, title, libraryId: library.libraryId, network, region: library.region, addedAt: formatBusinessInstant(tx.now) };
    return {
      decision: 'ALLOW',
      httpStatus: 201,
      response: view,
      regions: [library.region],
      details: {
        input: { barcode, libraryId, title },
        facts: { network, region: library.region },
        outcome: { added: true },
        rule: 'libraries.item-registration',
      },
    };
  }
}
