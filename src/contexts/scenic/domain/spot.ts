import type { Fen, Region } from '@onecard/kernel';

/** Spot types the admission rules name in `appliesTo` (rules/README.md). */
export const SPOT_TYPES = ['PARK', 'SCENIC_AREA'] as const;
export type SpotType = (typeof SPOT_TYPES)[number];

/** Annual-pass participation codes are UPPER_SNAKE, as in rule data (`BJ_PARK_ANNUAL`, `JJJ_SCENIC`). */
export const PARTICIPATION_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * What the scenic context keeps about a SCENIC_SPOT venue of the registry: its commercial facts.
 * Identity, name and region stay the registry's; the region is copied here when the spot is
 * configured (a venue's region never changes) so that a tap and the reports need no second look-up.
 */
export interface SpotConfig {
  spotId: string;
  region: Region;
  spotType: SpotType;
  basePriceFen: Fen;
  dailyCapacity: number;
  /** Annual-pass programmes this spot takes part in. */
  participation: string[];
}

/** The ledger account a spot's admissions are paid into. */
export function spotRevenueAccount(spotId: string): string {
  return `venue:${spotId}:revenue`;
}
