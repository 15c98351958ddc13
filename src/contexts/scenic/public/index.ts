/** The scenic context's public face (`@contexts/scenic`): the module and spot configuration for the seed. */
export { ScenicModule } from '../scenic.module.js';
export { ScenicSpots } from './scenic-spots.js';
export type { SpotSettings, SpotView } from '../application/configure-spot/configure-spot.command.js';
export { SPOT_TYPES, type SpotType } from '../domain/spot.js';
