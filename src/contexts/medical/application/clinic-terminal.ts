import { Injectable } from '@nestjs/common';
import { TERMINAL_CACHE_TTL_MS, VenueDirectory } from '@contexts/registry';
import { Problems } from '@onecard/kernel';
import type { TerminalIdentity } from '@onecard/platform';
import type { Institution } from '../domain/visit.js';

const MAX_ENTRIES = 10_000;

/**
 * The institution a CLINIC terminal settles for: its own venue, never one named in a body. A
 * terminal without a clinic venue may not settle (403, like a terminal of another kind). A clinic's
 * level and attributes are kept for as long as the registry lets terminals be cached (a few
 * seconds, wall clock), so a settlement usually costs no registry round trip.
 */
@Injectable()
export class ClinicTerminals {
  private readonly cache = new Map<string, { institution: Institution; loadedAt: number }>();

  constructor(private readonly venues: VenueDirectory) {}

  async institutionOf(terminal: Pick<TerminalIdentity, 'terminalId' | 'venueId'>): Promise<Institution> {
    const venueId = terminal.venueId;
    const hit = venueId ? this.cache.get(venueId) : undefined;
    if (hit && Date.now() - hit.loadedAt < TERMINAL_CACHE_TTL_MS) return hit.institution;
    const venue = venueId ? await this.venues.findVenue(venueId) : null;
    if (!venue || venue.kind !== 'CLINIC') throw Problems.forbidden(`Terminal ${terminal.terminalId} is not placed at a clinic.`);
    const institution: Institution = {
      venueId: venue.venueId,
      region: venue.region,
      level: venue.level ?? 1,
      community: venue.attributes.community === true,
      recognition: venue.attributes.recognition === true,
    };
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(venue.venueId, { institution, loadedAt: Date.now() });
    return institution;
  }
}
