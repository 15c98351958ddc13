import type { TransitNetworkParameters } from '@onecard/rules';

/** A seat: car number and `<row><letter>`, e.g. car 5 seat `03C`. */
export interface Seat {
  car: number;
  seat: string;
}

export type Consist = TransitNetworkParameters['timetable']['consist'];

/** The commuter seats card holders are given (cars 5–6), in the order a machine hands them out. */
export function commuterSeats(consist: Consist): Seat[] {
  const cars = [...new Set(consist.commuterCars)].sort((a, b) => a - b);
  const seats: Seat[] = [];
  for (const car of cars) {
    for (let row = 1; row <= consist.rowsPerCar; row++) {
      for (const letter of consist.seatLetters) seats.push({ car, seat: `${String(row).padStart(2, '0')}${letter}` });
    }
  }
  return seats;
}

export function seatKey(s: Seat): string {
  return `${s.car}/${s.seat}`;
}

/** The first commuter seat not in `taken`, or null when the train's commuter seats are all taken. */
export function firstFreeSeat(consist: Consist, taken: ReadonlySet<string>): Seat | null {
  return commuterSeats(consist).find((s) => !taken.has(seatKey(s))) ?? null;
}
