import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';

/**
 * `museums/booking`: real-name booking rules of the museums in this region — how far ahead,
 * per-person limits, closed days, and the no-show ban (REFERENCE.md §3). `default` applies to
 * every museum of the region; `venues` overrides fields for one museum by its venue id.
 * The museums context owns this kind.
 */
const policyFields = {
  /** Bookable from today up to this many days ahead. */
  bookingWindowDays: z.int().min(0),
  perPersonPerDay: z.int().min(1),
  /** Per calendar month (Asia/Shanghai); null: no monthly limit. */
  perPersonPerMonth: z.int().min(1).nullable(),
  /** ISO weekdays the museum is closed: 1 = Monday … 7 = Sunday. */
  closedWeekdays: z.array(z.int().min(1).max(7)),
  /** `threshold` no-shows within `windowDays` ban booking for `banDays`; null: no ban. */
  noShowBan: z.strictObject({ threshold: z.int().min(1), windowDays: z.int().min(1), banDays: z.int().min(1) }).nullable(),
  realName: z.boolean(),
};

export const museumBookingSchema = z.strictObject({
  default: z.strictObject(policyFields),
  venues: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.strictObject(policyFields).partial()),
});

export type MuseumBookingParameters = z.infer<typeof museumBookingSchema>;
export type MuseumBookingPolicy = MuseumBookingParameters['default'];

/** The policy of one museum: the region default with the museum's overrides. */
export function museumPolicy(p: MuseumBookingParameters, venueId: string): MuseumBookingPolicy {
  return { ...p.default, ...(p.venues[venueId] ?? {}) } as MuseumBookingPolicy;
}

export const MuseumBookingRules = defineRuleKind<MuseumBookingParameters>('museums', 'booking', museumBookingSchema);
