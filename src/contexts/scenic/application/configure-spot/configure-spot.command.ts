import { Command } from '@nestjs/cqrs';
import type { Fen, Region } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';
import type { SpotType } from '../../domain/spot.js';

export interface SpotSettings {
  spotType: SpotType;
  basePriceFen: Fen;
  dailyCapacity: number;
  participation: string[];
}

/** A spot's admission configuration as the admin API answers it. */
export interface SpotView extends SpotSettings {
  spotId: string;
  region: Region;
  version: number;
  revenueAccount: string;
  updatedAt: string;
}

/** `PUT /v1/admin/scenic/spots/{spotId}`: sets a SCENIC_SPOT venue's price, capacity, type and pass programmes. */
export class ConfigureSpotCommand extends Command<CommandResult<SpotView>> {
  constructor(
    readonly spotId: string,
    readonly settings: SpotSettings,
    readonly actor: string,
  ) {
    super();
  }
}
