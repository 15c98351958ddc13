import { networkRules } from '../testing/rule-data.js';
import { entryRequirementFen, exitFare, farthestStationCharge, incompleteChargeDueAt, incompleteJourneyCharge } from './fare.rule.js';
import { farthestStationFrom, isInService, lowestFareFrom, odFare } from './network.js';

const v1 = networkRules(1);
const v2 = networkRules(2);
const at = (hhmmss: string) => new Date(`2026-03-02T${hhmmss}+08:00`);

describe('fares from the OD table (rule data transit.jingjin)', () => {
  it.each([
    ['BJN', 'TJN', 5450],
    ['BJN', 'YZH', 950],
    ['YZH', 'WQI', 2750],
    ['YZH', 'TJN', 4450],
  ])('charges the sourced fare %s–%s = %i fen in both directions', (a, b, fen) => {
    expect(exitFare(v1, { station: a, at: at('08:00:00') }, { station: b, at: at('08:40:00') })).toEqual({ fareFen: fen, rule: 'fare.od-table' });
    expect(exitFare(v1, { station: b, at: at('08:00:00') }, { station: a, at: at('08:40:00') })).toEqual({ fareFen: fen, rule: 'fare.od-table' });
  });

  it('has no fare from a station to itself and refuses stations it does not know', () => {
    expect(odFare(v1, 'BJN', 'BJN')).toBeUndefined();
    expect(() => exitFare(v1, { station: 'BJN', at: at('08:00:00') }, { station: 'XXX', at: at('09:00:00') })).toThrow(/no fare from BJN to XXX/);
  });

  it("requires on entry the full fare to the train's terminus", () => {
    expect(entryRequirementFen(v1, 'BJN', 'TJN')).toBe(5450);
    expect(entryRequirementFen(v1, 'BJN', 'BHI')).toBe(7550);
    expect(entryRequirementFen(v1, 'TJN', 'BJN')).toBe(5450);
    expect(entryRequirementFen(v1, 'YZH', 'BHI')).toBe(6550);
  });

  describe('exit at the entry station', () => {
    const entry = { station: 'BJN', at: at('08:00:00') };
    it('is free 19 min 59.999 s after entry', () => {
      expect(exitFare(v1, entry, { station: 'BJN', at: new Date(at('08:20:00').getTime() - 1) })).toEqual({ fareFen: 0, rule: 'fare.same-station-free' });
      expect(exitFare(v1, entry, { station: 'BJN', at: at('08:19:59') })).toEqual({ fareFen: 0, rule: 'fare.same-station-free' });
    });
    it('costs the lowest fare from the station from 20:00 on', () => {
      expect(exitFare(v1, entry, { station: 'BJN', at: at('08:20:00') })).toEqual({ fareFen: 950, rule: 'fare.same-station-after-window' });
      expect(exitFare(v1, { station: 'TJN', at: at('08:00:00') }, { station: 'TJN', at: at('09:00:00') }).fareFen).toBe(1000);
    });
    it('finds the lowest fare among stations in service only', () => {
      // From Wuqing the cheapest neighbour is Tianjin (15.5) while Yongle (17.5) is closed; with Yongle open still 15.5.
      expect(lowestFareFrom(v1, 'WQI')).toBe(1550);
      // From Yizhuang: Beijing South 9.5 in v1; in v2 Yongle (11.5) does not undercut it.
      expect(lowestFareFrom(v2, 'YZH')).toBe(950);
    });
  });

  describe('missing tap-out', () => {
    it('charges the fare to the terminus of the train entered for, which entry required (issue 12 §8)', () => {
      // Entered at Yizhuang for a train to Beijing South: 9.5 yuan, not the 65.5 to Binhai at the far end of the line.
      expect(incompleteJourneyCharge(v1, { entryStation: 'YZH', terminus: 'BJN' })).toEqual({ terminus: 'BJN', fareFen: 950 });
      expect(incompleteJourneyCharge(v1, { entryStation: 'BJN', terminus: 'TJN' })).toEqual({ terminus: 'TJN', fareFen: 5450 });
      expect(incompleteJourneyCharge(v1, { entryStation: 'BJN', terminus: 'BHI' })).toEqual({ terminus: 'BHI', fareFen: 7550 });
      expect(incompleteJourneyCharge(v1, { entryStation: 'TJN', terminus: 'BJN' })).toEqual({
        terminus: 'BJN',
        fareFen: entryRequirementFen(v1, 'TJN', 'BJN'),
      });
    });
    it('still computes the farthest-station charges journaled before the terminus rule, for their replay', () => {
      expect(farthestStationCharge(v1, 'BJN')).toEqual({ farthestStation: 'BHI', fareFen: 7550 });
      expect(farthestStationCharge(v1, 'YZH')).toEqual({ farthestStation: 'BHI', fareFen: 6550 });
      expect(farthestStationCharge(v1, 'TJN')).toEqual({ farthestStation: 'BJN', fareFen: 5450 });
      expect(farthestStationCharge(v1, 'WQI')).toEqual({ farthestStation: 'BJN', fareFen: 3900 });
    });
    it('never picks a station out of service', () => {
      expect(farthestStationFrom({ ...v1, stations: v1.stations.map((s) => (s.code === 'BHI' ? { ...s, inService: false } : s)) }, 'BJN')).toBe('TGU');
    });
    it('falls due seven days after entry', () => {
      expect(incompleteChargeDueAt(v1, at('08:00:00')).toISOString()).toBe(new Date('2026-03-09T08:00:00+08:00').toISOString());
    });
  });

  it('opens Yongle in version 2 only', () => {
    expect(isInService(v1, 'YLE')).toBe(false);
    expect(isInService(v2, 'YLE')).toBe(true);
    expect(isInService(v1, 'XXX')).toBe(false);
  });
});
