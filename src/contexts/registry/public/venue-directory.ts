import { Injectable } from '@nestjs/common';
import type { Region } from '@onecard/kernel';
import { placementErrors, type TerminalPlacement } from '../domain/terminal-placement.rule.js';
import { venueProblem, type ClinicLevel, type Venue, type VenueAttributes, type VenueKind } from '../domain/venue.js';
import { CachedTerminalDirectory } from '../infrastructure/cached-terminal-directory.js';
import { RegistryRepository, type Sql } from '../infrastructure/registry.repository.js';

/** `GET /v1/admin/venues` item (TERMINAL-API.md): `level` only for clinics. */
export interface VenueListItem {
  venueId: string;
  kind: VenueKind;
  region: Region;
  name: string;
  level?: ClinicLevel;
}

export function toVenueListItem(v: Venue): VenueListItem {
  return { venueId: v.venueId, kind: v.kind, region: v.region, name: v.name, ...(v.level !== null ? { level: v.level } : {}) };
}

export type { TerminalPlacement };

/**
 * What other contexts and the seed may do with the registry: register and look up venues, and
 * bulk-register terminals (the seed; operators use `POST /v1/admin/terminals`, which is journaled).
 */
@Injectable()
export class VenueDirectory {
  constructor(
    private readonly repository: RegistryRepository,
    private readonly terminals: CachedTerminalDirectory,
  ) {}

  findVenue(venueId: string, tx?: Sql): Promise<Venue | null> {
    return this.repository.findVenue(venueId, tx);
  }

  listVenues(kind?: VenueKind): Promise<Venue[]> {
    return this.repository.listVenues(kind);
  }

  /** Registers venues that do not exist yet (existing ids are left as they are); answers how many were new. */
  async registerVenues(venues: readonly Venue[], tx?: Sql): Promise<number> {
    for (const v of venues) {
      const problem = venueProblem(v);
      if (problem) throw new Error(`venue ${v.venueId}: ${problem}`);
    }
    return this.repository.insertVenues(venues, tx);
  }

  /**
   * Adds or overwrites attributes of a venue (a context's own facts about it, e.g. a scenic spot's
   * daily capacity from its seed step); other attributes are kept. Answers whether the venue exists.
   */
  async mergeVenueAttributes(venueId: string, attributes: VenueAttributes, tx?: Sql): Promise<boolean> {
    return this.repository.mergeAttributes(venueId, attributes, tx);
  }

  /** Registers terminals that do not exist yet, checking each placement; answers the new ids. */
  async registerTerminals(terminals: readonly TerminalPlacement[], at: Date, tx?: Sql): Promise<string[]> {
    const venues = new Map<string, Venue | null>();
    for (const t of terminals) {
      if (t.venueId !== null && !venues.has(t.venueId)) venues.set(t.venueId, await this.repository.findVenue(t.venueId, tx));
      const errors = placementErrors(t, t.venueId === null ? null : (venues.get(t.venueId) ?? null));
      if (errors.length > 0) throw new Error(`terminal ${t.terminalId}: ${errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')}`);
    }
    const ids = await this.repository.insertTerminals(terminals, at, tx);
    for (const id of ids) this.terminals.invalidate(id);
    return ids;
  }
}
