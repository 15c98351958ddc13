import {
  addBusinessDays,
  ageOn,
  businessDateOf,
  businessDaysBetween,
  businessInstant,
  businessMinuteOfDay,
  businessYearOf,
  formatBusinessInstant,
  isBusinessDate,
  isIsoInstantWithOffset,
  isoWeekday,
  parseInstant,
  startOfBusinessDay,
} from './business-time.js';

describe('business time (Asia/Shanghai, UTC+8)', () => {
  it('puts an instant on its Beijing calendar day', () => {
    expect(businessDateOf(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(businessDateOf(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02'); // already the 2nd in Beijing
    expect(businessDateOf(parseInstant('2026-03-02T00:00:00+08:00'))).toBe('2026-03-02');
    expect(businessDateOf(parseInstant('2026-03-01T23:59:59+08:00'))).toBe('2026-03-01');
  });

  it('counts the year in Beijing (medical accumulators reset at local midnight)', () => {
    expect(businessYearOf(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(businessYearOf(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });

  it('starts a business day at 00:00 UTC+8 and builds local instants', () => {
    expect(startOfBusinessDay('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(businessInstant('2026-03-02', '07:35').toISOString()).toBe('2026-03-01T23:35:00.000Z');
    expect(businessMinuteOfDay(businessInstant('2026-03-02', '07:35'))).toBe(7 * 60 + 35);
    expect(formatBusinessInstant(new Date('2026-03-01T23:35:00Z'))).toBe('2026-03-02T07:35:00.000+08:00');
  });

  it('does date arithmetic across months and years', () => {
    expect(addBusinessDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addBusinessDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addBusinessDays('2026-03-02', -7)).toBe('2026-02-23');
    expect(businessDaysBetween('2026-03-02', '2026-03-09')).toBe(7);
    expect(isoWeekday('2026-03-02')).toBe(1); // a Monday
    expect(isoWeekday('2026-03-08')).toBe(7);
  });

  it('validates dates and instants with offsets', () => {
    expect(isBusinessDate('2026-02-29')).toBe(false);
    expect(isBusinessDate('2028-02-29')).toBe(true);
    expect(isBusinessDate('2026-3-2')).toBe(false);
    expect(isIsoInstantWithOffset('2026-03-02T07:35:00+08:00')).toBe(true);
    expect(isIsoInstantWithOffset('2026-03-02T07:35:00.123Z')).toBe(true);
    expect(isIsoInstantWithOffset('2026-03-02T07:35:00')).toBe(false); // no offset: ambiguous
    expect(isIsoInstantWithOffset('2026-13-02T07:35:00Z')).toBe(false);
    expect(() => parseInstant('yesterday')).toThrow();
  });

  it('computes age on a date, birthdays included', () => {
    expect(ageOn('1966-03-02', '2026-03-02')).toBe(60);
    expect(ageOn('1966-03-03', '2026-03-02')).toBe(59);
    expect(ageOn('1956-12-31', '2026-12-30')).toBe(69);
  });
});
