import { Injectable } from '@nestjs/common';
import { VenueDirectory } from '@contexts/registry';
import { ScenicSpots, SPOT_TYPES, type SpotType } from '@contexts/scenic';
import type { SeedContext, SeedStep } from '../seed-step.js';

/** Places per day of the demo spots (estimates); other spots get DEFAULT_DAILY_CAPACITY. */
const DAILY_CAPACITY: Record<string, number> = {
  'SCN-11-SUMMER': 30_000,
  'SCN-11-TEMPLE': 25_000,
  'SCN-11-BADALING': 40_000,
  'SCN-12-PANSHAN': 8_000,
  'SCN-12-HUANGYAGUAN': 6_000,
  'SCN-12-WATERPARK': 20_000,
  'SCN-13-MOUNTAIN': 15_000,
  'SCN-13-XIBAIPO': 10_000,
  'SCN-13-BAIYANGDIAN': 12_000,
};
export const DEFAULT_DAILY_CAPACITY = 5_000;

/**
 * Configures every seeded scenic spot for admission: type, base price and pass programmes from the
 * venue's registry attributes (`spotType`, `basePriceFen`, `participation`, as the demo venues list
 * them), daily capacity from the table above. Journaled like an operator's change (actor `seed`).
 */
@Injectable()
export class ScenicSeedStep implements SeedStep {
  readonly name = 'scenic.spots';

  constructor(
    private readonly venues: VenueDirectory,
    private readonly spots: ScenicSpots,
  ) {}

  async run(ctx: SeedContext): Promise<string> {
    let configured = 0;
    for (const venue of await this.venues.listVenues('SCENIC_SPOT')) {
      const a = venue.attributes;
      const spotType = a['spotType'];
      if (typeof spotType !== 'string' || !(SPOT_TYPES as readonly string[]).includes(spotType) || typeof a['basePriceFen'] !== 'number') {
        ctx.log(`  ${venue.venueId}: no spotType/basePriceFen attributes, left unconfigured`);
        continue;
      }
      await this.spots.configure(
        venue.venueId,
        {
          spotType: spotType as SpotType,
          basePriceFen: a['basePriceFen'],
          dailyCapacity: DAILY_CAPACITY[venue.venueId] ?? DEFAULT_DAILY_CAPACITY,
          participation: Array.isArray(a['participation']) ? a['participation'] : [],
        },
        'seed',
      );
      configured++;
    }
    return `${configured} scenic spots configured`;
  }
}
