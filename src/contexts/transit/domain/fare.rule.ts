import type { Fen } from '@onecard/kernel';
import type { TransitNetworkParameters } from '@onecard/rules';
import { farthestStationFrom, lowestFareFrom, odFare } from './network.js';

const MINUTE_MS = 60_000;

/** Which rule priced an exit; recorded in the journal's decision details. */
export type FareRule = 'fare.od-table' | 'fare.same-station-free' | 'fare.same-station-after-window';

export interface ExitFare {
  fareFen: Fen;
  rule: FareRule;
}

/**
 * The fare of a journey, from the rule version in force at entry: the OD table between two
 * stations; at the entry station, free when the exit comes less than `freeWithinMinutes` after the
 * entry ("changed plans": 19:59 later is free, 20:00 is not), else the lowest fare from the station.
 */
export function exitFare(p: TransitNetworkParameters, entry: { station: string; at: Date }, exit: { station: string; at: Date }): ExitFare {
  if (entry.station === exit.station) {
    const elapsed = exit.at.getTime() - entry.at.getTime();
    if (elapsed < p.sameStationExit.freeWithinMinutes * MINUTE_MS) return { fareFen: 0, rule: 'fare.same-station-free' };
    return { fareFen: lowestFareFrom(p, entry.station), rule: 'fare.same-station-after-window' };
  }
  const fare = odFare(p, entry.station, exit.station);
  if (fare === undefined) throw new Error(`no fare from ${entry.station} to ${exit.station} in the rule data`);
  return { fareFen: fare, rule: 'fare.od-table' };
}

/** What entry requires: the full fare from the boarding station to the train's terminus. */
export function entryRequirementFen(p: TransitNetworkParameters, station: string, terminus: string): Fen {
  const fare = odFare(p, station, terminus);
  if (fare === undefined) throw new Error(`no fare from ${station} to ${terminus} in the rule data`);
  return fare;
}

/**
 * A journey with no tap-out, charged after `chargeAfterDays`: the fare to the terminus of the train
 * the holder entered for (the slip's train; without a slip, the farthest station in service), which
 * is what entry checked the balance against (REFERENCE.md §1) — never more than entry required.
 */
export function incompleteJourneyCharge(p: TransitNetworkParameters, journey: { entryStation: string; terminus: string }): { terminus: string; fareFen: Fen } {
  return { terminus: journey.terminus, fareFen: entryRequirementFen(p, journey.entryStation, journey.terminus) };
}

/**
 * How charges journaled before the terminus rule were computed (`missing-tap-out.farthest-station`):
 * the farthest station of the whole line. Kept only so that those decisions still replay as made.
 */
export function farthestStationCharge(p: TransitNetworkParameters, entryStation: string): { farthestStation: string; fareFen: Fen } {
  const farthestStation = farthestStationFrom(p, entryStation);
  return { farthestStation, fareFen: odFare(p, entryStation, farthestStation)! };
}

/** When an open journey's missing tap-out is charged. */
export function incompleteChargeDueAt(p: TransitNetworkParameters, entryAt: Date): Date {
  return new Date(entryAt.getTime() + p.missingTapOut.chargeAfterDays * 86_400_000);
}
