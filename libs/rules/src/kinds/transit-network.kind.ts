import { mulDiv, type Fen } from '@onecard/kernel';
import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { basisPoints, fen, regionCode } from '../schema-helpers.js';

/**
 * `transit/network`: the Beijing–Tianjin intercity railway (京津城际) as rule data — stations,
 * the second-class fare table, and the 中铁银通 rail-account policy (REFERENCE.md §1).
 * The transit context owns this kind and may refine it in its own `domain/`.
 */
const stationCode = z.string().regex(/^[A-Z]{3}$/, { error: 'expected a 3-letter station code' });
const count = () => z.int({ error: 'expected a whole number' }).min(0, { error: 'expected ≥ 0' });
const fareMatrix = () => z.record(stationCode, z.record(stationCode, fen()));

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
    /** Which cards may ride: issuer regions, card generations, and the 中铁银通 application. */
    eligibility: z.strictObject({
      issuingRegions: z.array(regionCode()).min(1),
      generations: z.array(z.int().min(1).max(3)).min(1),
      requiresTransitApp: z.boolean(),
    }),
    /** Entry needs a balance ≥ the fare from the boarding station to the train's terminus. */
    entry: z.strictObject({ minimumBalance: z.enum(['FARE_TO_TERMINUS']) }),
    missingTapOut: z.strictObject({
      blocksEntry: z.boolean(),
      chargeAfterDays: z.int().min(1),
      chargeAs: z.enum(['FARTHEST_STATION']),
    }),
    sameStationExit: z.strictObject({ freeWithinMinutes: count() }),
    /** A second tap at the same gate within this many seconds is DUPLICATE_TAP. */
    duplicateTapWindowSeconds: count(),
    seatFirst: z.strictObject({
      /** The gate refuses a holder without a seat slip for a train departing this soon from the station. */
      slipRequiredForDepartureWithinMinutes: count(),
      cancellationsPerStationPerDay: count(),
      /** This many unused slips lock the card until cleared at a staffed window. */
      unusedSlipsLockAt: z.int().min(1),
    }),
    wallet: z.strictObject({
      topUpMinimumFen: z.strictObject({ SILVER: fen(), GOLD: fen() }),
      balanceCapFen: fen(),
      overdraft: z.boolean(),
      cashOut: z.boolean(),
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
  });

export type TransitNetworkParameters = z.infer<typeof transitNetworkSchema>;

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
