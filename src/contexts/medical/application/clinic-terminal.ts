import { Injectable } from '@nestjs/common';
import { VenueDirectory } from '@contexts/registry';
import { Problems } from '@onecard/kernel';
import type { TerminalIdentity } from '@onecard/platform';
import type { Institution } from '../domain/visit.js';

/**
 * The institution a CLINIC terminal settles for: its own venue, never one named in a body. A
 * terminal without a clinic venue may not settle (403, like a terminal of another kind).
 */
@Injectable()
export class ClinicTerminals {
  constructor(private readonly venues: VenueDirectory) {}

  async institutionOf(terminal: Pick<TerminalIdentity, 'terminalId' | 'venueId'>): Promise<Institution> {
    const venue = terminal.venueId ? await this.venues.findVenue(terminal.venueId) : null;
    if (!venue || venue.kind !== 'CLINIC') throw Problems.forbidden(`Terminal ${terminal.terminalId} is not placed at a clinic.`);
    return {
      venueId: venue.venueId,
      region: venue.region,
      level: venue.level ?? 1,
      community: venue.attributes.community === true,
      recognition: venue.attributes.recognition === true,
    };
  }
}
