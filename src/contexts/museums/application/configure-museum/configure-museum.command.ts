import { Command } from '@nestjs/cqrs';
import type { Region } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export interface MuseumView {
  museumId: string;
  region: Region;
  /** Seats per timed slot (the slot pattern itself is rule data). */
  slotQuota: number;
  version: number;
  updatedAt: string;
}

/** `PUT /v1/admin/museums/{museumId}`: opens a MUSEUM venue for booking with its seats per slot. */
export class ConfigureMuseumCommand extends Command<CommandResult<MuseumView>> {
  constructor(
    readonly museumId: string,
    readonly slotQuota: number,
    readonly actor: string,
  ) {
    super();
  }
}
