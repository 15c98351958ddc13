import { Command } from '@nestjs/cqrs';
import type { Region } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface ItemView {
  barcode: string;
  title: string;
  /** The owning library (a LIBRARY venue). */
  libraryId: string;
  network: string;
  region: Region;
  addedAt: string;
}

/** `POST /v1/admin/libraries/items {barcode, libraryId, title}` (operator). */
export class AddItemCommand extends Command<CommandResult<ItemView>> {
  constructor(
    readonly barcode: string,
    readonly libraryId: string,
    readonly title: string,
    readonly actor: string,
  ) {
    super();
  }
}
