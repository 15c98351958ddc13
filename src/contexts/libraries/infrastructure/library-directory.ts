import { Injectable } from '@nestjs/common';
import { TERMINAL_CACHE_TTL_MS, VenueDirectory } from '@contexts/registry';
import { networkOf, type Library } from '../domain/library.js';

interface Entry {
  value: Library;
  loadedAt: number;
}

/**
 * Libraries are registry venues of kind LIBRARY; a desk's tap needs its library's region and
 * network, so they are cached as the registry caches terminals (a change made elsewhere is seen
 * within TERMINAL_CACHE_TTL_MS, wall clock). Unknown ids are not cached: they are admin mistakes,
 * not taps (a desk always stands at a known venue).
 */
@Injectable()
export class LibraryDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly venues: VenueDirectory) {}

  async find(libraryId: string): Promise<Library | null> {
    const hit = this.entries.get(libraryId);
    if (hit && Date.now() - hit.loadedAt < TERMINAL_CACHE_TTL_MS) return hit.value;
    const venue = await this.venues.findVenue(libraryId);
    if (!venue || venue.kind !== 'LIBRARY') return null;
    const value: Library = { libraryId: venue.venueId, region: venue.region, name: venue.name, network: networkOf(venue.attributes) };
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(libraryId, { value, loadedAt: Date.now() });
    return value;
  }

  async list(): Promise<Library[]> {
    const venues = await this.venues.listVenues('LIBRARY');
    return venues.map((v) => ({ libraryId: v.venueId, region: v.region, name: v.name, network: networkOf(v.attributes) }));
  }
}
