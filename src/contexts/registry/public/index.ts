/** The registry's public face: venue look-ups and registration for other contexts and the seed. */
export { VenueDirectory, toVenueListItem, type VenueListItem, type TerminalPlacement } from './venue-directory.js';
export { VENUE_KINDS, CLINIC_LEVELS, type Venue, type VenueKind, type ClinicLevel, type VenueAttributes } from '../domain/venue.js';
export { VENUE_KIND_OF_TERMINAL, TERMINAL_ID_PATTERN } from '../domain/terminal-placement.rule.js';
export { TERMINAL_CACHE_TTL_MS } from '../infrastructure/cached-terminal-directory.js';
export { HolderAppBindings } from './holder-app-bindings.js';
export { RegistryModule } from '../registry.module.js';
