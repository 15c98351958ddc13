import type { Region } from '@onecard/kernel';

/** Where terminals stand. Stations use their station code as id (`TJN`); others a readable id. */
export const VENUE_KINDS = ['STATION', 'CLINIC', 'SCENIC_SPOT', 'MUSEUM', 'LIBRARY'] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

/** Clinic (medical institution) level 一级/二级/三级: the home region's ratio depends on it. */
export const CLINIC_LEVELS = [1, 2, 3] as const;
export type ClinicLevel = (typeof CLINIC_LEVELS)[number];

export const VENUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Context-specific facts about a venue that other contexts read and this registry only stores:
 * e.g. a clinic's `community` flag (Beijing's 90 % community outpatient ratio) and `recognition`
 * (takes part in lab/imaging mutual recognition), a library's `network` (通借通还 group).
 */
export type VenueAttributes = Record<string, string | number | boolean | null | string[]>;

export interface Venue {
  venueId: string;
  kind: VenueKind;
  region: Region;
  name: string;
  /** Clinics only. */
  level: ClinicLevel | null;
  attributes: VenueAttributes;
}

/** Why a venue cannot be registered as given, or null. */
export function venueProblem(v: Pick<Venue, 'venueId' | 'kind' | 'level' | 'name'>): string | null {
  if (!VENUE_ID_PATTERN.test(v.venueId)) return `venue id "${v.venueId}" must be 1–64 of [A-Za-z0-9_-]`;
  if (v.name.trim().length === 0 || v.name.length > 200) return 'a venue name is 1–200 characters';
  if (v.kind === 'CLINIC' && v.level === null) return 'a clinic needs a level 1–3';
  if (v.kind !== 'CLINIC' && v.level !== null) return 'only clinics have a level';
  return null;
}
