import type { Prng } from '../../seed/prng.js';
import type { Action } from '../action.js';
import type { World } from '../world.js';

/** A train's calls from the service's timetable (GET /v1/admin/transit/timetable). */
export interface TrainCalls {
  trainNo: string;
  calls: { station: string; arrivesAt: string | null; departsAt: string | null }[];
}

export interface CatalogueItem {
  code: string;
  type: 'DRUG' | 'CONSULTATION' | 'LAB' | 'IMAGING' | 'TREATMENT';
  category: string;
}

/** Everything a scenario plans from: the world, reference data read from the service, and the day. */
export interface PlanInput {
  world: World;
  rng: Prng;
  /** Business date, YYYY-MM-DD (Asia/Shanghai). */
  day: string;
  /** Simulated instants the run covers. */
  from: number;
  to: number;
  /** Roughly how many commands the plan should make (scaled from --rate × --duration). */
  volume: number;
  /** Prefix of every client id of this run (deterministic for a seed). */
  idPrefix: string;
  timetable: Map<string, TrainCalls>;
  catalogues: Map<string, CatalogueItem[]>;
  /** Library item barcodes by library, for loans. */
  libraryItems: Map<string, string[]>;
  /** Museum slots of the day by museum: start and end, HH:MM (UTC+8). */
  museumSlots: Map<string, { start: string; end: string }[]>;
}

/** A part of a day: commuters, clinic mornings, visitors, readers… */
export type Planner = (input: PlanInput, share: number) => Action[];

export const MINUTE = 60_000;

/** Simulated instant for a local time on the plan's day plus jitter minutes. */
export function at(input: PlanInput, hhmm: string, jitterMinutes = 0): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const base = Date.parse(`${input.day}T00:00:00+08:00`) + (h * 60 + m) * MINUTE;
  return base + Math.floor(input.rng.next() * jitterMinutes * MINUTE);
}

export function isoAt(ms: number): string {
  const local = new Date(ms + 8 * 3_600_000).toISOString();
  return `${local.slice(0, -1)}+08:00`;
}
