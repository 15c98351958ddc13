import { businessMinuteOfDay, formatBusinessInstant } from '@onecard/kernel';
import { transitNetworkSchema } from '@onecard/rules';
import { networkRules, rawNetworkParameters } from '../testing/rule-data.js';
import { commuterSeats, firstFreeSeat } from './seat-map.js';
import { departureFrom, generateTimetable, serves, terminusOf, trainsBetween, type Train } from './timetable.js';

const v1 = networkRules(1);
const v2 = networkRules(2);
const ref1 = { id: 'transit.jingjin', version: 1 };
const day = '2026-03-02';
const tt = generateTimetable(v1, ref1, day);
const hhmm = (d: Date | null) => (d ? formatBusinessInstant(d).slice(11, 16) : null);
const calls = (t: Train) => t.calls.map((c) => c.station);

describe('the generated daily timetable', () => {
  it('is deterministic: the same rule version and date give the same trains', () => {
    expect(generateTimetable(v1, ref1, day)).toEqual(tt);
    expect(tt.trains.length).toBeGreaterThan(80);
  });

  it('runs C-trains both ways, odd numbers from Beijing and even numbers toward it, each number once', () => {
    const down = tt.trains.filter((t) => t.direction === 'DOWN');
    const up = tt.trains.filter((t) => t.direction === 'UP');
    expect(down.length).toBeGreaterThan(40);
    expect(up.length).toBeGreaterThan(40);
    expect(down.every((t) => /^C\d{4}$/.test(t.trainNo) && Number(t.trainNo.slice(1)) % 2 === 1 && t.calls[0]!.station === 'BJN')).toBe(true);
    expect(up.every((t) => Number(t.trainNo.slice(1)) % 2 === 0 && terminusOf(t) === 'BJN')).toBe(true);
    expect(new Set(tt.trains.map((t) => t.trainNo)).size).toBe(tt.trains.length);
    expect(down[0]).toMatchObject({ trainNo: 'C2001', pattern: 'WUQING' });
    expect(up.find((t) => t.pattern.startsWith('BINHAI'))!.trainNo).toBe('C2202');
  });

  it('times each call from the running minutes and the dwell at intermediate stops', () => {
    const first = tt.trains.find((t) => t.trainNo === 'C2001')!;
    expect(first.calls.map((c) => [c.station, hhmm(c.arrivesAt), hhmm(c.departsAt)])).toEqual([
      ['BJN', null, '06:00'],
      ['WQI', '06:23', '06:25'],
      ['TJN', '06:34', null],
    ]);
    const nonstop = tt.trains.find((t) => t.direction === 'DOWN' && t.pattern === 'NONSTOP' && hhmm(departureFrom(t, 'BJN')) === '07:00')!;
    expect(hhmm(nonstop.calls[1]!.arrivesAt)).toBe('07:32');
    const upThrough = tt.trains.find((t) => t.direction === 'UP' && t.pattern === 'BINHAI')!;
    expect(calls(upThrough)).toEqual(['BHI', 'TGU', 'JLB', 'TJN', 'BJN']);
    expect(upThrough.calls.map((c) => [hhmm(c.arrivesAt), hhmm(c.departsAt)])).toEqual([
      [null, '06:30'],
      ['06:34', '06:36'],
      ['06:43', '06:45'],
      ['06:54', '06:56'],
      ['07:28', null],
    ]);
  });

  it('runs Beijing South → Tianjin every 10–15 minutes at the peaks and every 30 minutes off-peak', () => {
    const gaps = (fromMinute: number, toMinute: number) => {
      const times = trainsBetween(tt, 'BJN', 'TJN', new Date(`${day}T00:00:00+08:00`))
        .map((x) => businessMinuteOfDay(x.departsAt))
        .filter((m) => m >= fromMinute && m < toMinute);
      return times.slice(1).map((m, i) => m - times[i]!);
    };
    expect(Math.max(...gaps(7 * 60, 9 * 60 + 30))).toBeLessThanOrEqual(10);
    expect(Math.max(...gaps(16 * 60 + 30, 19 * 60 + 30))).toBeLessThanOrEqual(15);
    expect(new Set(gaps(10 * 60, 16 * 60))).toEqual(new Set([30]));
    const upPeak = trainsBetween(tt, 'TJN', 'BJN', new Date(`${day}T07:00:00+08:00`)).filter((x) => businessMinuteOfDay(x.departsAt) < 9 * 60 + 30);
    expect(upPeak.length).toBeGreaterThanOrEqual(12);
  });

  it('sends some trains through to Binhai via Junliangcheng North or Tanggu, and stops few at Yizhuang', () => {
    const through = tt.trains.filter((t) => terminusOf(t) === 'BHI' || t.calls[0]!.station === 'BHI');
    expect(through.length).toBeGreaterThan(10);
    expect(through.every((t) => calls(t).includes('TGU'))).toBe(true);
    expect(through.some((t) => calls(t).includes('JLB'))).toBe(true);
    const yizhuang = tt.trains.filter((t) => calls(t).includes('YZH'));
    expect(yizhuang.length).toBeGreaterThan(0);
    expect(yizhuang.length).toBeLessThan(tt.trains.length / 10);
  });

  it('calls at Yongle only once a rule version has it in service', () => {
    expect(tt.trains.some((t) => calls(t).includes('YLE'))).toBe(false);
    const opened = generateTimetable(v2, { id: 'transit.jingjin', version: 2 }, '2027-01-04');
    const yongle = opened.trains.filter((t) => calls(t).includes('YLE'));
    expect(yongle.length).toBeGreaterThan(0);
    expect(yongle.every((t) => serves(t, 'YLE', t.direction === 'DOWN' ? 'TJN' : 'BJN'))).toBe(true);
  });

  it('finds the trains leaving a station for a destination after an instant, soonest first', () => {
    const after = new Date(`${day}T08:01:00+08:00`);
    const found = trainsBetween(tt, 'WQI', 'BJN', after);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((x) => x.departsAt > after && x.train.direction === 'UP')).toBe(true);
    expect(found.map((x) => x.departsAt.getTime())).toEqual([...found.map((x) => x.departsAt.getTime())].sort((a, b) => a - b));
    expect(trainsBetween(tt, 'BJN', 'YLE', after)).toEqual([]);
  });

  it('refuses a pattern calling at a station not in service, out of line order, or overflowing a number series', () => {
    const raw = rawNetworkParameters(1);
    const bad = structuredClone(raw);
    bad.timetable.patterns[0].stops = ['BJN', 'YLE', 'TJN'];
    bad.timetable.patterns[1].stops = ['TJN', 'BJN'];
    bad.timetable.departures.DOWN[0].headwayMinutes = 5;
    bad.timetable.departures.DOWN[0].to = '23:00';
    const issues = transitNetworkSchema.safeParse(bad).error!.issues.map((i) => `${i.path.join('/')}: ${i.message}`);
    expect(issues).toContain('timetable/patterns/0/stops/1: station YLE is not in service: no train may call there');
    expect(issues).toContain('timetable/patterns/1/stops/1: stops are listed in DOWN (line) order, each once');
    expect(issues.some((i) => /^timetable\/departures: \d+ trains in series DOWN:2000/.test(i))).toBe(true);
  });
});

describe('seats', () => {
  it('gives card holders the commuter seats of cars 5 and 6, row by row', () => {
    const seats = commuterSeats(v1.timetable.consist);
    expect(seats).toHaveLength(2 * 17 * 5);
    expect(seats[0]).toEqual({ car: 5, seat: '01A' });
    expect(seats[5]).toEqual({ car: 5, seat: '02A' });
    expect(seats.at(-1)).toEqual({ car: 6, seat: '17F' });
    expect(new Set(seats.map((s) => s.car))).toEqual(new Set([5, 6]));
  });

  it('hands out the first free seat, none when all are taken', () => {
    expect(firstFreeSeat(v1.timetable.consist, new Set(['5/01A', '5/01B']))).toEqual({ car: 5, seat: '01C' });
    const all = new Set(commuterSeats(v1.timetable.consist).map((s) => `${s.car}/${s.seat}`));
    expect(firstFreeSeat(v1.timetable.consist, all)).toBeNull();
  });
});
