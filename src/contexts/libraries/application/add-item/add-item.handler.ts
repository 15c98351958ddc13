import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatBusinessInstant, ProblemError, Problems } from '@onecard/kernel';
import { CommandExecutor, type CommandEnvelope, type CommandResult } from '@onecard/engine';
import type { Library } from '../../domain/library.js';
import { CirculationRepository } from '../../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { AddItemCommand, type ItemView } from './add-item.command.js';

/**
 * Registers an item with its owning library, which must be a LIBRARY venue with a network. The
 * barcode is the idempotency key: the same body again replays the 201, another body is a 409, and
 * a barcode registered otherwise (the seed) is a 409 naming the item.
 */
@CommandHandler(AddItemCommand)
export class AddItemHandler implements ICommandHandler<AddItemCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
  ) {}

  async execute(command: AddItemCommand): Promise<CommandResult<ItemView>> {
    const { barcode, libraryId, title } = command;
    const library = await this.libraries.find(libraryId);
    if (!library) throw Problems.validation([{ pointer: '/libraryId', detail: `no library ${libraryId} is registered` }]);
    if (!library.network)
      throw Problems.validation([{ pointer: '/libraryId', detail: `library ${libraryId} has no network attribute, so nothing can be lent from it` }]);
    const envelope: CommandEnvelope = {
      type: 'libraries.add-item',
      id: barcode,
      context: 'libraries',
      actor: command.actor,
      payload: { barcode, libraryId, title },
    };
    try {
      return await this.add(envelope, command, library);
    } catch (error) {
      // Two identical registrations raced: replay the winner's answer (or 409 for another body).
      if (error instanceof ProblemError && error.problem.status === 409 && (await this.executor.find(envelope.type, envelope.id)))
        return this.add(envelope, command, library);
      throw error;
    }
  }

  private add(envelope: CommandEnvelope, command: AddItemCommand, library: Library): Promise<CommandResult<ItemView>> {
    const { barcode, title } = command;
    const network = library.network!;
    return this.executor.execute<ItemView>(envelope, async (tx) => {
      const added = await this.repository.insertItems([{ barcode, libraryId: library.libraryId, network, region: library.region, title }], tx.now, tx);
      if (added.length === 0) {
        const existing = await this.repository.findItem(barcode, tx);
        throw Problems.conflict(`Item ${barcode} is already registered.`, { barcode, libraryId: existing?.libraryId ?? null });
      }
      const view: ItemView = { barcode, title, libraryId: library.libraryId, network, region: library.region, addedAt: formatBusinessInstant(tx.now) };
      return {
        decision: 'ALLOW',
        httpStatus: 201,
        response: view,
        regions: [library.region],
        details: {
          input: envelope.payload as Record<string, unknown>,
          facts: { network, region: library.region },
          outcome: { added: true },
          rule: 'libraries.item-registration',
        },
      };
    });
  }
}
