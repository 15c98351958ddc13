/**
 * Business time is Asia/Shanghai (UTC+8 all year: China has kept no daylight saving since 1991).
 * Days, years and reports are counted there; instants travel as ISO-8601 with an explicit offset.
 */
export const BUSINESS_TZ = 'Asia/Shanghai';
export const BUSINESS_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = BUSINESS_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export type BusinessDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO-8601 instant that must carry `Z` or an explicit ±hh:mm offset. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function isIsoInstantWithOffset(text: string): boolean {
  return INSTANT_RE.test(text) && !Number.isNaN(Date.parse(text));
}

export function parseInstant(text: string): Date {
  if (!isIsoInstantWithOffset(text)) throw new Error(`not an ISO-8601 instant with offset: "${text}"`);
  return new Date(text);
}

export function isBusinessDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The Asia/Shanghai calendar date of an instant. */
export function businessDateOf(instant: Date): BusinessDate {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar year of an instant (medical annual accumulators). */
export function businessYearOf(instant: Date): number {
  return Number(businessDateOf(instant).slice(0, 4));
}

/** The instant a business day starts: 00:00:00 UTC+8. */
export function startOfBusinessDay(date: BusinessDate): Date {
  const m = DATE_RE.exec(date);
  if (!m || !isBusinessDate(date)) throw new Error(`not a date: "${date}"`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - OFFSET_MS);
}

/** The instant for a local wall-clock time on a business day, e.g. ("2026-03-02", "07:35"). */
export function businessInstant(date: BusinessDate, time: string): Date {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new Error(`not a time of day: "${time}"`);
  const ms = (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1000;
  return new Date(startOfBusinessDay(date).getTime() + ms);
}

export function addBusinessDays(date: BusinessDate, days: number): BusinessDate {
  return businessDateOf(new Date(startOfBusinessDay(date).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function businessDaysBetween(from: BusinessDate, to: BusinessDate): number {
  return Math.round((startOfBusinessDay(to).getTime() - startOfBusinessDay(from).getTime()) / DAY_MS);
}

/** ISO weekday of a business date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: BusinessDate): number {
  const d = new Date(startOfBusinessDay(date).getTime() + OFFSET_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Local minutes since midnight (UTC+8) of an instant. */
export function businessMinuteOfDay(instant: Date): number {
  const local = new Date(instant.getTime() + OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** `2026-03-02T07:35:00.000+08:00`: how the API writes instants. */
export function formatBusinessInstant(instant: Date): string {
  const local = new Date(instant.getTime() + OFFSET_MS).toISOString();
  return `${local.slice(0, -1)}+08:00`;
}

/** Age in whole years on a business date, from a birth date (`YYYY-MM-DD`). */
export function ageOn(birthDate: BusinessDate, on: BusinessDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}
