/**
 * The museums context's public face (`@contexts/museums`): the module, museum configuration for
 * the seed, and the no-show job for the CLI.
 */
export { MuseumsModule } from '../museums.module.js';
export { MuseumsAdmin } from './museums-admin.js';
export { NoShowCounter, type NoShowRun } from '../application/count-no-shows/no-show-counter.js';
export type { MuseumView } from '../application/configure-museum/configure-museum.command.js';
