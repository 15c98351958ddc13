import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConfigureMuseumCommand, type MuseumView } from '../application/configure-museum/configure-museum.command.js';

/** What the seed (and other contexts) may do with museums: open one for booking, as an operator would. */
@Injectable()
export class MuseumsAdmin {
  constructor(private readonly commands: CommandBus) {}

  async configure(museumId: string, slotQuota: number, actor: string): Promise<MuseumView> {
    return (await this.commands.execute(new ConfigureMuseumCommand(museumId, slotQuota, actor))).response;
  }
}
