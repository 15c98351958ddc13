import { addBusinessDays } from '@onecard/kernel';
import { DEFAULT_RULE_KINDS, kindKey, museumPolicy, validateRuleFiles, type MuseumBookingParameters, type RuleKind } from '@onecard/rules';
import { banOn, decideBooking, isClosed, monthOf, noShowBans, type BookingFacts } from './booking.rule.js';

const kinds = new Map<string, RuleKind<unknown>>(DEFAULT_RULE_KINDS.map((k) => [kindKey(k), k]));
const { valid } = validateRuleFiles('rules', kinds);
const params = (region: string) =>
  valid.filter((v) => v.rs.content.context === 'museums' && v.rs.content.region === region).sort((a, b) => b.rs.content.version - a.rs.content.version)[0]!.rs
    .parameters as MuseumBookingParameters;
const beijing = museumPolicy(params('11'), 'MUS-11-NATIONAL');
const ban = beijing.noShowBan!;

// 2026-03-02 is a Monday.
const facts = (over: Partial<BookingFacts> & { bookedAt?: string } = {}): BookingFacts => ({
  bookedAt: '2026-03-03T08:00:00+08:00',
  slotQuota: 100,
  holder: { onDate: 0, inMonth: 0, sameSlot: false, noShowDates: [] },
  slotFull: false,
  ...over,
});
const book = (date: string, slot = '09:00', f: Partial<BookingFacts> = {}) => decideBooking(beijing, { date, slot }, facts(f));
const code = (v: ReturnType<typeof book>) => (v.decision === 'DENY' ? v.reason.code : v.decision);

describe('the rule data for museums', () => {
  it('gives the National Museum three slots, closed on Mondays, and the Capital Museum its own slots', () => {
    expect(beijing.slots).toEqual([
      { start: '09:00', end: '11:00' },
      { start: '11:00', end: '13:00' },
      { start: '13:00', end: '16:30' },
    ]);
    expect(beijing).toMatchObject({ bookingWindowDays: 7, perPersonPerDay: 1, perPersonPerMonth: 4, closedWeekdays: [1], earlyEntryMinutes: 30 });
    expect(museumPolicy(params('11'), 'MUS-11-CAPITAL').slots.map((s) => s.start)).toEqual(['09:00', '12:30']);
    expect(museumPolicy(params('12'), 'MUS-12-TIANJIN').closedWeekdays).toEqual([1]);
  });
});

describe('booking window (7 days ahead, days counted in UTC+8)', () => {
  it('opens from today through 7 days ahead', () => {
    expect(code(book('2026-03-03', '13:00'))).toBe('ALLOW');
    expect(code(book('2026-03-10'))).toBe('ALLOW');
    expect(code(book('2026-03-11'))).toBe('BEYOND_BOOKING_WINDOW');
    expect(code(book('2026-03-02'))).toBe('MUSEUM_CLOSED');
    expect(code(book('2026-03-01'))).toBe('DATE_IN_PAST');
  });

  it('counts today by the UTC+8 date: 23:30 UTC on 3 March is already 4 March', () => {
    const late = { bookedAt: '2026-03-03T23:30:00Z' };
    expect(code(book('2026-03-11', '09:00', late))).toBe('ALLOW');
    expect(code(book('2026-03-03', '09:00', late))).toBe('DATE_IN_PAST');
    const justBefore = { bookedAt: '2026-03-03T15:59:59Z' };
    expect(code(book('2026-03-11', '09:00', justBefore))).toBe('BEYOND_BOOKING_WINDOW');
  });

  it('refuses unknown and ended slots, and allows a slot already in progress', () => {
    expect(code(book('2026-03-04', '10:00'))).toBe('SLOT_UNKNOWN');
    expect(code(book('2026-03-03', '09:00', { bookedAt: '2026-03-03T11:00:00+08:00' }))).toBe('SLOT_ENDED');
    expect(code(book('2026-03-03', '09:00', { bookedAt: '2026-03-03T10:59:00+08:00' }))).toBe('ALLOW');
  });

  it('refuses a museum that takes no bookings', () => {
    expect(code(book('2026-03-04', '09:00', { slotQuota: null }))).toBe('MUSEUM_NOT_BOOKABLE');
    expect(code(decideBooking({ ...beijing, slots: [] }, { date: '2026-03-04', slot: '09:00' }, facts()))).toBe('MUSEUM_NOT_BOOKABLE');
  });

  it('honours extra closed dates from the rule data', () => {
    expect(isClosed({ ...beijing, closedDates: ['2026-03-05'] }, '2026-03-05')).toBe(true);
    expect(isClosed(beijing, '2026-03-05')).toBe(false);
  });
});

describe('per-person limits', () => {
  it('allows 1 a day and 4 a month', () => {
    expect(code(book('2026-03-04', '09:00', { holder: { onDate: 1, inMonth: 1, sameSlot: false, noShowDates: [] } }))).toBe('DAILY_LIMIT_REACHED');
    expect(code(book('2026-03-04', '09:00', { holder: { onDate: 1, inMonth: 1, sameSlot: true, noShowDates: [] } }))).toBe('ALREADY_BOOKED');
    expect(code(book('2026-03-04', '09:00', { holder: { onDate: 0, inMonth: 3, sameSlot: false, noShowDates: [] } }))).toBe('ALLOW');
    expect(code(book('2026-03-04', '09:00', { holder: { onDate: 0, inMonth: 4, sameSlot: false, noShowDates: [] } }))).toBe('MONTHLY_LIMIT_REACHED');
    expect(
      code(
        decideBooking(
          { ...beijing, perPersonPerMonth: null },
          { date: '2026-03-04', slot: '09:00' },
          facts({ holder: { onDate: 0, inMonth: 40, sameSlot: false, noShowDates: [] } }),
        ),
      ),
    ).toBe('ALLOW');
  });

  it('refuses a full slot last', () => {
    expect(code(book('2026-03-04', '09:00', { slotFull: true }))).toBe('SLOT_FULL');
  });

  it('asks for the holder facts, then the seat, when the facts so far do not decide', () => {
    expect(decideBooking(beijing, { date: '2026-03-04', slot: '11:00' }, { bookedAt: '2026-03-03T08:00:00+08:00', slotQuota: 5 })).toMatchObject({
      decision: 'PENDING',
      needs: 'holder',
    });
    expect(decideBooking(beijing, { date: '2026-03-04', slot: '11:00' }, { ...facts(), slotFull: undefined })).toMatchObject({
      decision: 'PENDING',
      needs: 'seat',
      slot: { start: '11:00', end: '13:00' },
    });
  });

  it('knows month boundaries', () => {
    expect(monthOf('2026-02-14')).toEqual({ first: '2026-02-01', last: '2026-02-28' });
    expect(monthOf('2028-02-14')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
  });
});

describe('no-show ban: 3 no-shows within 90 days → 30 days', () => {
  it('bans from the third no-show for 30 days, then lets the holder book again', () => {
    const dates = ['2026-01-06', '2026-02-10', '2026-03-03'];
    expect(noShowBans(dates, ban)).toEqual([{ from: '2026-03-03', through: '2026-04-01', noShows: dates }]);
    expect(banOn(dates, ban, '2026-03-02')).toBeNull();
    expect(banOn(dates, ban, '2026-03-03')?.through).toBe('2026-04-01');
    expect(banOn(dates, ban, '2026-04-01')).not.toBeNull();
    expect(banOn(dates, ban, '2026-04-02')).toBeNull();
    expect(
      code(book('2026-04-03', '09:00', { bookedAt: '2026-04-01T20:00:00+08:00', holder: { onDate: 0, inMonth: 0, sameSlot: false, noShowDates: dates } })),
    ).toBe('BOOKING_BANNED');
    expect(
      code(book('2026-04-08', '09:00', { bookedAt: '2026-04-02T08:00:00+08:00', holder: { onDate: 0, inMonth: 0, sameSlot: false, noShowDates: dates } })),
    ).toBe('ALLOW');
  });

  it('needs the three within 90 days: the 90th day counts, the 91st does not', () => {
    const first = '2026-01-01';
    expect(noShowBans([first, '2026-02-01', addBusinessDays(first, 89)], ban)).toHaveLength(1);
    expect(noShowBans([first, '2026-02-01', addBusinessDays(first, 90)], ban)).toHaveLength(0);
  });

  it('spends the no-shows that caused a ban: a fourth one alone starts a new count', () => {
    const dates = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-02-20'];
    expect(noShowBans(dates, ban)).toHaveLength(1);
    expect(noShowBans([...dates, '2026-03-01', '2026-03-02'], ban).map((b) => b.from)).toEqual(['2026-01-07', '2026-03-02']);
  });

  it('does not ban where the rules have no ban', () => {
    expect(banOn(['2026-03-01', '2026-03-02', '2026-03-03'], null, '2026-03-03')).toBeNull();
  });
});
