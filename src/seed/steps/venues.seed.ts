import { Injectable } from '@nestjs/common';
import { VenueDirectory } from '@contexts/registry';
import { demoTerminals, demoVenues } from '../demo-venues.js';
import type { SeedContext, SeedStep } from '../seed-step.js';

/** Stations, clinics, scenic spots, museums, libraries, and a terminal for every device. */
@Injectable()
export class VenuesSeedStep implements SeedStep {
  readonly name = 'registry.venues-and-terminals';

  constructor(private readonly venues: VenueDirectory) {}

  async run(ctx: SeedContext): Promise<string> {
    const venues = demoVenues();
    const newVenues = await this.venues.registerVenues(venues);
    const terminals = await this.venues.registerTerminals(demoTerminals(venues), ctx.now);
    return `${newVenues} venues, ${terminals.length} terminals`;
  }
}
