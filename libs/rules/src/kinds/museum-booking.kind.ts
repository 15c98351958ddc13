import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { businessDate } from '../schema-helpers.js';

/**
 * `museums/booking`: real-name booking rules of the museums in this region — timed entry slots,
 * how far ahead, per-person limits, closed days, and the no-show ban (REFERENCE.md §3).
 * `default` applies to every museum of the region; `venues` overrides fields for one museum by its
 * venue id. The museums context owns this kind (ADR 0010).
 *
 * `slots`, `earlyEntryMinutes` and `closedDates` came with version 2 of the rule data; they are
 * optional so that version 1 (no slot pattern: nothing bookable) stays valid and replayable.
 */
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeOfDay = () => z.string().regex(HH_MM, { error: 'expected a time of day HH:MM (UTC+8)' });

/** One timed entry slot, local time (UTC+8): entry from `start` (less `earlyEntryMinutes`) until `end`. */
const slot = z
  .strictObject({ start: timeOfDay(), end: timeOfDay() })
  .refine((s) => s.end > s.start, { error: 'a slot ends after it starts', path: ['end'] });

const slots = z
  .array(slot)
  .min(1)
  .superRefine((list, ctx) => {
    list.forEach((s, i) => {
      const prev = list[i - 1];
      if (prev && s.start < prev.end) ctx.addIssue({ code: 'custom', path: [i, 'start'], message: 'slots are in order and do not overlap' });
    });
  });

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
  /** The day's timed entry slots (the quota of each is the museum's configuration). */
  slots: slots.optional(),
  /** How long before its slot starts a reservation admits at the gate. */
  earlyEntryMinutes: z.int().min(0).max(240).optional(),
  /** Extra closed dates (`YYYY-MM-DD`), besides the weekly closed days. */
  closedDates: z.array(businessDate()).optional(),
};

export const museumBookingSchema = z.strictObject({
  default: z.strictObject(policyFields),
  venues: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.strictObject(policyFields).partial()),
});

export type MuseumBookingParameters = z.infer<typeof museumBookingSchema>;
export type MuseumSlot = z.infer<typeof slot>;

/** One museum's policy with the optional fields filled in (no slots: nothing is bookable). */
export type MuseumBookingPolicy = Omit<MuseumBookingParameters['default'], 'slots' | 'earlyEntryMinutes' | 'closedDates'> & {
  slots: MuseumSlot[];
  earlyEntryMinutes: number;
  closedDates: string[];
};

/** The policy of one museum: the region default with the museum's overrides. */
export function museumPolicy(p: MuseumBookingParameters, venueId: string): MuseumBookingPolicy {
  const merged = { ...p.default, ...(p.venues[venueId] ?? {}) };
  return { ...merged, slots: merged.slots ?? [], earlyEntryMinutes: merged.earlyEntryMinutes ?? 0, closedDates: merged.closedDates ?? [] };
}

export const MuseumBookingRules = defineRuleKind<MuseumBookingParameters>('museums', 'booking', museumBookingSchema);
