import type { Fen } from '@onecard/kernel';
import type { TransitNetworkParameters } from '@onecard/rules';

/** A station as the rule data describes it. */
export type StationInfo = TransitNetworkParameters['stations'][number];

/** The line's stations in line order (by distance from Beijing South). */
export function stationsInLineOrder(p: TransitNetworkParameters): StationInfo[] {
  return [...p.stations].sort((a, b) => a.km - b.km);
}

export function stationOf(p: TransitNetworkParameters, code: string): StationInfo | undefined {
  return p.stations.find((s) => s.code === code);
}

/** Only a station the rule data lists and has in service opens its gates and seat machines. */
export function isInService(p: TransitNetworkParameters, code: string): boolean {
  return stationOf(p, code)?.inService === true;
}

/** Second-class fare between two distinct stations from the OD table, or undefined. */
export function odFare(p: TransitNetworkParameters, from: string, to: string): Fen | undefined {
  return from === to ? undefined : p.fares[from]?.[to];
}

/**
 * The station in service farthest along the line from `from` (either direction); on equal distance
 * the dearer fare. What a missing tap-out is charged as (REFERENCE.md §1).
 */
export function farthestStationFrom(p: TransitNetworkParameters, from: string): string {
  const origin = stationOf(p, from);
  if (!origin) throw new Error(`unknown station ${from}`);
  let best: { code: string; distance: number; fare: Fen } | null = null;
  for (const s of p.stations) {
    if (s.code === from || !s.inService) continue;
    const distance = Math.abs(s.km - origin.km);
    const fare = odFare(p, from, s.code) ?? 0;
    if (!best || distance > best.distance || (distance === best.distance && fare > best.fare)) best = { code: s.code, distance, fare };
  }
  if (!best) throw new Error(`no other station in service than ${from}`);
  return best.code;
}

/** The cheapest fare from `from` to any other station in service. */
export function lowestFareFrom(p: TransitNetworkParameters, from: string): Fen {
  let lowest: Fen | null = null;
  for (const s of p.stations) {
    if (s.code === from || !s.inService) continue;
    const fare = odFare(p, from, s.code);
    if (fare !== undefined && (lowest === null || fare < lowest)) lowest = fare;
  }
  if (lowest === null) throw new Error(`no fare from ${from}`);
  return lowest;
}
