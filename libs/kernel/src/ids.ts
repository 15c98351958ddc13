import { randomUUID } from 'node:crypto';

/** Client-generated command ids (`tapId`, `settlementId`, …): 1–64 chars of [A-Za-z0-9_-]. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A card number's shape (B/T/H and 8 digits; the cards context checks its Luhn digit). */
export const CARD_NO_PATTERN = /^[BTH]\d{8}$/;

export function isClientId(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_ID_PATTERN.test(value);
}

/** Region codes: 11 Beijing (京), 12 Tianjin (津), 13 Hebei (冀). */
export const REGIONS = ['11', '12', '13'] as const;
export type Region = (typeof REGIONS)[number];

export function isRegion(value: unknown): value is Region {
  return typeof value === 'string' && (REGIONS as readonly string[]).includes(value);
}

export const REGION_NAMES: Record<Region, string> = { '11': 'Beijing', '12': 'Tianjin', '13': 'Hebei' };

/** Server-side ids (journeys, loans, …). */
export function newId(): string {
  return randomUUID();
}
