import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ConfigureSpotCommand, type SpotSettings, type SpotView } from '../application/configure-spot/configure-spot.command.js';

/** What the seed (and other contexts) may do with scenic spots: configure one, as an operator would. */
@Injectable()
export class ScenicSpots {
  constructor(private readonly commands: CommandBus) {}

  async configure(spotId: string, settings: SpotSettings, actor: string): Promise<SpotView> {
    return (await this.commands.execute(new ConfigureSpotCommand(spotId, settings, actor))).response;
  }
}
