import { businessInstant, type BusinessDate, type RuleRef } from '@onecard/kernel';
import { TRAIN_DIRECTIONS, type TimetablePattern, type TrainDirection, type TransitNetworkParameters } from '@onecard/rules';
import { stationsInLineOrder } from './network.js';

const MINUTE_MS = 60_000;

/** A train calling at a station: no arrival at its origin, no departure from its terminus. */
export interface TrainCall {
  station: string;
  arrivesAt: Date | null;
  departsAt: Date | null;
}

export interface Train {
  /** `C2001`: odd numbers run DOWN (from Beijing), even numbers UP. */
  trainNo: string;
  direction: TrainDirection;
  pattern: string;
  calls: TrainCall[];
}

/** One business day's trains, generated from one rule set version (deterministic: same input, same trains). */
export interface Timetable {
  date: BusinessDate;
  ruleSet: RuleRef;
  /** In order of departure from their origin, then train number. */
  trains: Train[];
}

export function originOf(train: Train): string {
  return train.calls[0]!.station;
}

/** The train's last station: the farthest station in its direction. */
export function terminusOf(train: Train): string {
  return train.calls[train.calls.length - 1]!.station;
}

/** When the train leaves `station`, or null if it does not call there or ends there. */
export function departureFrom(train: Train, station: string): Date | null {
  return train.calls.find((c) => c.station === station)?.departsAt ?? null;
}

/** Whether the train calls at `from` and later at `to`. */
export function serves(train: Train, from: string, to: string): boolean {
  const i = train.calls.findIndex((c) => c.station === from);
  const j = train.calls.findIndex((c) => c.station === to);
  return i >= 0 && j > i;
}

/**
 * The day's trains from the rule data's timetable pattern: for each direction, departures every
 * `headwayMinutes` through each band, stopping patterns taken in turn from the band's cycle, times
 * at each call from the running minutes between stations plus `dwellMinutes` at each intermediate
 * stop, and numbers counted per series in order of departure.
 */
export function generateTimetable(p: TransitNetworkParameters, ruleSet: RuleRef, date: BusinessDate): Timetable {
  const t = p.timetable;
  const line = stationsInLineOrder(p);
  // Minutes from the line's first station, as a train that stops nowhere would run.
  const offset = new Map<string, number>();
  let total = 0;
  line.forEach((s, i) => {
    if (i > 0) total += t.runMinutes[s.code]!;
    offset.set(s.code, total);
  });
  const patterns = new Map(t.patterns.map((pt) => [pt.code, pt]));
  const trains: Train[] = [];
  for (const direction of TRAIN_DIRECTIONS) {
    const departures: { minute: number; pattern: TimetablePattern['patterns'][number] }[] = [];
    for (const band of t.departures[direction]) {
      const from = minuteOfDay(band.from);
      const to = minuteOfDay(band.to);
      for (let m = from, k = 0; m < to; m += band.headwayMinutes, k++) {
        departures.push({ minute: m, pattern: patterns.get(band.cycle[k % band.cycle.length]!)! });
      }
    }
    departures.sort((a, b) => a.minute - b.minute);
    const counters = new Map<number, number>();
    for (const d of departures) {
      const n = counters.get(d.pattern.numberBase) ?? 0;
      counters.set(d.pattern.numberBase, n + 1);
      const number = d.pattern.numberBase + 2 * n + (direction === 'DOWN' ? 1 : 2);
      const stops = direction === 'DOWN' ? d.pattern.stops : [...d.pattern.stops].reverse();
      const start = businessInstant(date, `${pad(Math.floor(d.minute / 60))}:${pad(d.minute % 60)}`).getTime();
      const calls: TrainCall[] = stops.map((station, i) => {
        const run = Math.abs(offset.get(station)! - offset.get(stops[0]!)!);
        const arrival = start + (run + t.dwellMinutes * Math.max(0, i - 1)) * MINUTE_MS;
        const last = i === stops.length - 1;
        return {
          station,
          arrivesAt: i === 0 ? null : new Date(arrival),
          departsAt: last ? null : new Date(i === 0 ? start : arrival + t.dwellMinutes * MINUTE_MS),
        };
      });
      trains.push({ trainNo: `${t.trainPrefix}${number}`, direction, pattern: d.pattern.code, calls });
    }
  }
  trains.sort((a, b) => a.calls[0]!.departsAt!.getTime() - b.calls[0]!.departsAt!.getTime() || a.trainNo.localeCompare(b.trainNo));
  return { date, ruleSet, trains };
}

/**
 * Trains leaving `from` strictly after `after` that go on to `to`, soonest first: what a seat
 * machine offers, in order.
 */
export function trainsBetween(timetable: Timetable, from: string, to: string, after: Date): { train: Train; departsAt: Date }[] {
  const out: { train: Train; departsAt: Date }[] = [];
  for (const train of timetable.trains) {
    if (!serves(train, from, to)) continue;
    const departsAt = departureFrom(train, from)!;
    if (departsAt.getTime() > after.getTime()) out.push({ train, departsAt });
  }
  return out.sort((a, b) => a.departsAt.getTime() - b.departsAt.getTime() || a.train.trainNo.localeCompare(b.train.trainNo));
}

export function findTrain(timetable: Timetable, trainNo: string): Train | undefined {
  return timetable.trains.find((t) => t.trainNo === trainNo);
}

function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
