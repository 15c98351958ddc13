import { Injectable } from '@nestjs/common';
import { MuseumsAdmin } from '@contexts/museums';
import { VenueDirectory } from '@contexts/registry';
import type { SeedContext, SeedStep } from '../seed-step.js';

/** Seats per timed slot of the demo museums (estimates); other museums get DEFAULT_SLOT_QUOTA. */
const SLOT_QUOTA: Record<string, number> = {
  'MUS-11-NATIONAL': 3_000,
  'MUS-11-CAPITAL': 2_000,
  'MUS-12-TIANJIN': 1_500,
  'MUS-13-HEBEI': 1_500,
};
export const DEFAULT_SLOT_QUOTA = 1_000;

/**
 * Opens every seeded museum for booking with its seats per slot (the slot pattern, closed days
 * and limits are rule data). Journaled like an operator's change (actor `seed`).
 */
@Injectable()
export class MuseumsSeedStep implements SeedStep {
  readonly name = 'museums.quotas';

  constructor(
    private readonly venues: VenueDirectory,
    private readonly museums: MuseumsAdmin,
  ) {}

  async run(_ctx: SeedContext): Promise<string> {
    const museums = await this.venues.listVenues('MUSEUM');
    for (const m of museums) await this.museums.configure(m.venueId, SLOT_QUOTA[m.venueId] ?? DEFAULT_SLOT_QUOTA, 'seed');
    return `${museums.length} museums open for booking`;
  }
}
