import { mulDiv, type Fen } from '@onecard/kernel';
import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { basisPoints, fen, regionCode } from '../schema-helpers.js';

/**
 * `transit/network`: the Beijing–Tianjin intercity railway (京津城际) as rule data — stations,
 * the second-class fare table, the 中铁银通 rail-account policy (REFERENCE.md §1) and the pattern
 * the daily timetable is generated from. Owned by the transit context (ADR 0008); the wallet's
 * top-up limits are not here: they live in `cards/top-up-limits`, their one source of truth.
 */
const stationCode = z.string().regex(/^[A-Z]{3}$/, { error: 'expected a 3-letter station code' });
const count = () => z.int({ error: 'expected a whole number' }).min(0, { error: 'expected ≥ 0' });
const fareMatrix = () => z.record(stationCode, z.record(stationCode, fen()));
/** Local time of day (Asia/Shanghai) `HH:MM`, 00:00–23:59. */
const timeOfDay = () => z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a time of day HH:MM' });
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const station = z.strictObject({
  code: stationCode,
  nameZh: z.string().min(1),
  namePinyin: z.string().min(1),
  /** Distance from Beijing South along the line; orders stations and finds the farthest one. */
  km: z.number().min(0),
  region: regionCode(),
  /** A reserved station (Yongle) is on the line but no train stops and no gate opens. */
  inService: z.boolean(),
});

export const TRAIN_DIRECTIONS = ['DOWN', 'UP'] as const;
export type TrainDirection = (typeof TRAIN_DIRECTIONS)[number];

/** A run of departures from the pattern's first station, every `headwayMinutes` in [from, to). */
const departureBand = z.strictObject({
  from: timeOfDay(),
  to: timeOfDay(),
  headwayMinutes: z.int().min(5).max(120),
  /** Stopping patterns used in turn, by code. */
  cycle: z.array(z.string().min(1)).min(1),
});

const timetable = z.strictObject({
  /** Train numbers read `<prefix><number>`, e.g. C2001. */
  trainPrefix: z.string().regex(/^[A-Z]$/),
  /** Minutes a train stands at an intermediate stop. */
  dwellMinutes: z.int().min(0).max(15),
  /** Running minutes from the previous station (in km order) to this one; every station but the first. */
  runMinutes: z.record(stationCode, z.int().min(1).max(120)),
  consist: z.strictObject({
    cars: z.int().min(1).max(16),
    rowsPerCar: z.int().min(1).max(30),
    seatLetters: z.array(z.string().regex(/^[A-F]$/)).min(1).max(6),
    /** Cars whose seats the seat machines give to card holders (commuter seats). */
    commuterCars: z.array(z.int().min(1)).min(1),
  }),
  /**
   * Stopping patterns, stops listed in DOWN order (from Beijing); UP trains call at them in reverse.
   * Numbers: DOWN trains get numberBase + 1, + 3, …; UP trains numberBase + 2, + 4, … in order of
   * departure, counted per numberBase.
   */
  patterns: z
    .array(
      z.strictObject({
        code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        numberBase: z.int().min(1000).max(9800).multipleOf(100),
        stops: z.array(stationCode).min(2),
      }),
    )
    .min(1),
  /** Departure bands per direction, times at the pattern's first station in that direction. */
  departures: z.strictObject({ DOWN: z.array(departureBand).min(1), UP: z.array(departureBand).min(1) }),
});

export const transitNetworkSchema = z
  .strictObject({
    stations: z.array(station).min(2),
    /** Second-class fares in fen: `fares.FROM.TO`, every ordered pair of distinct stations. */
    fares: fareMatrix(),
    /** First class = second class × multiplier, rounded to `roundToFen` (0.5 yuan); overrides win. */
    firstClass: z.strictObject({
      multiplierBasisPoints: z.int().min(10_000).max(30_000),
      roundToFen: z.int().min(1),
      rounding: z.enum(['HALF_UP', 'CEIL', 'FLOOR']),
      overrides: fareMatrix(),
    }),
    /** Which cards may ride (the card must also carry the 中铁银通 application, whose wallet pays). */
    eligibility: z.strictObject({
      issuingRegions: z.array(regionCode()).min(1),
      generations: z.array(z.int().min(1).max(3)).min(1),
    }),
    /** Entry needs a balance ≥ the fare from the boarding station to the train's terminus. */
    entry: z.strictObject({ minimumBalance: z.enum(['FARE_TO_TERMINUS']) }),
    /** An open journey always blocks entry (REFERENCE.md §1); these say when it is unresolved and charged. */
    missingTapOut: z.strictObject({
      /** An open journey older than this is unresolved: no exit by tap, entry blocked ("see a window"). */
      unresolvedAfterMinutes: z.int().min(30),
      chargeAfterDays: z.int().min(1),
      chargeAs: z.enum(['FARTHEST_STATION']),
    }),
    sameStationExit: z.strictObject({
      freeWithinMinutes: count(),
      /** What an exit at the entry station costs after the free window. */
      afterWindow: z.enum(['LOWEST_FARE_FROM_STATION']),
    }),
    /** A second tap at the same gate within this many seconds is DUPLICATE_TAP. */
    duplicateTapWindowSeconds: count(),
    seatFirst: z.strictObject({
      /**
       * Whether entry needs a slip at all (default true). Without the rule, a holder with no slip
       * enters against the fare to the farthest station from the gate's station.
       */
      required: z.boolean().optional(),
      /** The gate refuses a holder without a seat slip for a train departing this soon from the station. */
      slipRequiredForDepartureWithinMinutes: count(),
      cancellationsPerStationPerDay: count(),
      /** This many unused slips lock the card until cleared at a staffed window. */
      unusedSlipsLockAt: z.int().min(1),
      /** How many days after today a seat machine books (0: today only). */
      bookingDaysAhead: count(),
    }),
    /** Commuter products (documented; a context may leave them unused). */
    commuterProducts: z.array(
      z.strictObject({
        code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        name: z.string().min(1),
        rides: z.int().min(1),
        validDays: z.int().min(1).nullable(),
        /** Share of the fare paid (95 % = 9500). */
        priceBasisPoints: basisPoints(),
      }),
    ),
    timetable,
  })
  .superRefine((p, ctx) => {
    const codes = p.stations.map((s) => s.code);
    codes.forEach((code, i) => {
      if (codes.indexOf(code) !== i) ctx.addIssue({ code: 'custom', path: ['stations', i, 'code'], message: `station ${code} is listed twice` });
    });
    const known = new Set(codes);
    for (const [name, matrix] of [['fares', p.fares], ['firstClass', p.firstClass.overrides]] as const) {
      const base = name === 'fares' ? ['fares'] : ['firstClass', 'overrides'];
      for (const [from, row] of Object.entries(matrix)) {
        if (!known.has(from)) ctx.addIssue({ code: 'custom', path: [...base, from], message: `unknown station ${from}` });
        for (const to of Object.keys(row)) {
          if (!known.has(to)) ctx.addIssue({ code: 'custom', path: [...base, from, to], message: `unknown station ${to}` });
          if (to === from) ctx.addIssue({ code: 'custom', path: [...base, from, to], message: 'no fare from a station to itself' });
        }
      }
    }
    for (const from of codes) {
      for (const to of codes) {
        if (from !== to && p.fares[from]?.[to] === undefined) ctx.addIssue({ code: 'custom', path: ['fares', from, to], message: `missing fare from ${from} to ${to}` });
      }
    }
    checkTimetable(p, ctx);
  });

/** The timetable must only call at stations in service, in line order, and number trains without overlap. */
function checkTimetable(p: z.infer<typeof transitNetworkSchema>, ctx: z.RefinementCtx): void {
  const t = p.timetable;
  const ordered = [...p.stations].sort((a, b) => a.km - b.km);
  const position = new Map(ordered.map((s, i) => [s.code, i]));
  const inService = new Map(p.stations.map((s) => [s.code, s.inService]));
  ordered.slice(1).forEach((s) => {
    if (t.runMinutes[s.code] === undefined) ctx.addIssue({ code: 'custom', path: ['timetable', 'runMinutes', s.code], message: `missing running minutes to ${s.code}` });
  });
  for (const code of Object.keys(t.runMinutes)) {
    if (!position.has(code)) ctx.addIssue({ code: 'custom', path: ['timetable', 'runMinutes', code], message: `unknown station ${code}` });
    else if (position.get(code) === 0) ctx.addIssue({ code: 'custom', path: ['timetable', 'runMinutes', code], message: `${code} is the first station: nothing runs to it` });
  }
  t.consist.commuterCars.forEach((car, i) => {
    if (car > t.consist.cars) ctx.addIssue({ code: 'custom', path: ['timetable', 'consist', 'commuterCars', i], message: `car ${car} is beyond the ${t.consist.cars} cars` });
  });
  const patterns = new Map<string, number>();
  t.patterns.forEach((pattern, i) => {
    if (patterns.has(pattern.code)) ctx.addIssue({ code: 'custom', path: ['timetable', 'patterns', i, 'code'], message: `pattern ${pattern.code} is listed twice` });
    patterns.set(pattern.code, pattern.numberBase);
    pattern.stops.forEach((stop, j) => {
      const path = ['timetable', 'patterns', i, 'stops', j];
      if (!position.has(stop)) ctx.addIssue({ code: 'custom', path, message: `unknown station ${stop}` });
      else if (!inService.get(stop)) ctx.addIssue({ code: 'custom', path, message: `station ${stop} is not in service: no train may call there` });
      else if (j > 0 && position.has(pattern.stops[j - 1]!) && position.get(stop)! <= position.get(pattern.stops[j - 1]!)!) {
        ctx.addIssue({ code: 'custom', path, message: 'stops are listed in DOWN (line) order, each once' });
      }
    });
  });
  const perSeries = new Map<string, number>();
  for (const direction of TRAIN_DIRECTIONS) {
    t.departures[direction].forEach((band, i) => {
      const path = ['timetable', 'departures', direction, i];
      if (minutesOf(band.to) <= minutesOf(band.from)) ctx.addIssue({ code: 'custom', path: [...path, 'to'], message: 'a band ends after it starts' });
      band.cycle.forEach((code, j) => {
        if (!patterns.has(code)) ctx.addIssue({ code: 'custom', path: [...path, 'cycle', j], message: `unknown pattern ${code}` });
      });
      const trains = Math.max(0, Math.ceil((minutesOf(band.to) - minutesOf(band.from)) / band.headwayMinutes));
      for (let k = 0; k < trains; k++) {
        const base = patterns.get(band.cycle[k % band.cycle.length]!);
        if (base === undefined) continue;
        const key = `${direction}:${base}`;
        perSeries.set(key, (perSeries.get(key) ?? 0) + 1);
      }
    });
  }
  for (const [key, n] of perSeries) {
    if (n > 49) ctx.addIssue({ code: 'custom', path: ['timetable', 'departures'], message: `${n} trains in series ${key}: at most 49 per direction fit in one hundred numbers` });
  }
}

export type TransitNetworkParameters = z.infer<typeof transitNetworkSchema>;
export type TimetablePattern = TransitNetworkParameters['timetable'];

export const TransitNetworkRules = defineRuleKind<TransitNetworkParameters>('transit', 'network', transitNetworkSchema);

/** Second-class fare in fen between two stations, or undefined when the table has none. */
export function secondClassFareFen(p: TransitNetworkParameters, from: string, to: string): Fen | undefined {
  return p.fares[from]?.[to];
}

/** First-class fare: an override, else second class × multiplier rounded once to `roundToFen`. */
export function firstClassFareFen(p: TransitNetworkParameters, from: string, to: string): Fen | undefined {
  const override = p.firstClass.overrides[from]?.[to];
  if (override !== undefined) return override;
  const second = p.fares[from]?.[to];
  if (second === undefined) return undefined;
  const { multiplierBasisPoints, roundToFen, rounding } = p.firstClass;
  return mulDiv(second, multiplierBasisPoints, 10_000 * roundToFen, rounding) * roundToFen;
}
