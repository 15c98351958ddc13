import { CardReasons } from '@onecard/kernel';
import { networkRules } from '../testing/rule-data.js';
import type { SlipFact, TapInFacts, TapOutFacts } from './tap-facts.js';
import { decideTapIn, decideTapOut, isDuplicateTap } from './tap.rule.js';

const v1 = networkRules(1);
const v2 = networkRules(2);
const at = (hhmmss: string, date = '2026-03-02') => new Date(`${date}T${hhmmss}+08:00`);
const iso = (d: Date) => d.toISOString();
const card = { status: 'ACTIVE', issuingRegion: '12', generation: 3, transitApp: true };
const ref = { id: 'transit.jingjin', version: 1 };
const slip = (over: Partial<SlipFact> = {}): SlipFact => ({
  reservationId: 'r-1',
  fromStation: 'BJN',
  toStation: 'TJN',
  trainNo: 'C2011',
  terminus: 'TJN',
  departsAt: iso(at('08:20:00')),
  ...over,
});
const inFacts = (over: Partial<TapInFacts> = {}): TapInFacts => ({
  card,
  station: 'BJN',
  previousTapAtGate: null,
  openJourney: null,
  slips: [slip()],
  balanceFen: 10_000,
  pendingExit: null,
  ...over,
});
const tapIn = (over: Partial<TapInFacts> = {}, tappedAt = at('08:00:00'), cardStatusRefusal: { code: string; message: string } | null = null, rules = v1) =>
  decideTapIn(rules, { tappedAt, cardStatusRefusal }, inFacts(over));
const codeOf = (d: { decision: string; reason?: { code: string } }) => (d.decision === 'ALLOW' ? 'ALLOW' : d.reason!.code);

describe('tap IN: every refusal and its rule', () => {
  it('allows with a seat slip for a train leaving soon and the fare to its terminus in the wallet', () => {
    const d = tapIn();
    expect(d).toMatchObject({ decision: 'ALLOW', rule: 'entry.allowed', terminus: 'TJN', requiredFen: 5450, completion: null, slip: { reservationId: 'r-1' } });
  });

  it('refuses an unknown or unusable card with the shared card reason', () => {
    expect(tapIn({ card: null }, at('08:00:00'), { code: 'CARD_UNKNOWN', message: CardReasons.CARD_UNKNOWN })).toMatchObject({
      reason: { code: 'CARD_UNKNOWN' },
      rule: 'card.status',
    });
    expect(tapIn({}, at('08:00:00'), { code: 'CARD_LOST', message: CardReasons.CARD_LOST })).toMatchObject({ reason: { code: 'CARD_LOST' } });
  });

  it('refuses card products the rule data does not let ride, then cards without the rail application', () => {
    expect(codeOf(tapIn({ card: { ...card, issuingRegion: '11' } }))).toBe('CARD_PRODUCT_NOT_ELIGIBLE');
    expect(codeOf(tapIn({ card: { ...card, generation: 2 } }))).toBe('CARD_PRODUCT_NOT_ELIGIBLE');
    expect(codeOf(tapIn({ card: { ...card, transitApp: false } }))).toBe('NO_TRANSIT_APPLICATION');
    const widened = { ...v1, eligibility: { issuingRegions: ['11', '12'] as ('11' | '12' | '13')[], generations: [3] } };
    expect(codeOf(tapIn({ card: { ...card, issuingRegion: '11' } }, at('08:00:00'), null, widened))).toBe('ALLOW');
  });

  it('refuses at a station not in service (Yongle before version 2), or unknown to the rule data', () => {
    const yle = { station: 'YLE', slips: [slip({ fromStation: 'YLE', terminus: 'TJN' })] };
    expect(codeOf(tapIn(yle))).toBe('STATION_NOT_IN_SERVICE');
    const opened = { station: 'YLE', slips: [slip({ fromStation: 'YLE', departsAt: iso(at('08:20:00', '2027-01-04')) })] };
    expect(codeOf(tapIn(opened, at('08:00:00', '2027-01-04'), null, v2))).toBe('ALLOW');
    expect(codeOf(tapIn({ station: 'XYZ' }))).toBe('STATION_NOT_IN_SERVICE');
  });

  it('calls a second tap at the same gate within the duplicate window DUPLICATE_TAP', () => {
    expect(codeOf(tapIn({ previousTapAtGate: iso(at('07:59:51')) }))).toBe('DUPLICATE_TAP');
    expect(codeOf(tapIn({ previousTapAtGate: iso(at('07:59:50')) }))).toBe('ALLOW');
  });

  it('tells an open journey (already in) from an unresolved one (missing tap-out)', () => {
    const open = (entry: Date) => ({ openJourney: { journeyId: 'j', entryStation: 'TJN', entryAt: iso(entry), ruleSet: ref } });
    expect(codeOf(tapIn(open(at('07:30:00'))))).toBe('JOURNEY_ALREADY_OPEN');
    expect(codeOf(tapIn(open(at('04:00:00'))))).toBe('JOURNEY_ALREADY_OPEN'); // exactly 240 minutes
    expect(codeOf(tapIn(open(at('03:59:59'))))).toBe('UNRESOLVED_JOURNEY');
    expect(codeOf(tapIn(open(at('08:00:00', '2026-02-27'))))).toBe('UNRESOLVED_JOURNEY');
  });

  it('locks the card for transit at two unused slips', () => {
    const gone = (id: string, hhmm: string) => slip({ reservationId: id, departsAt: iso(at(hhmm)) });
    expect(codeOf(tapIn({ slips: [gone('a', '07:10:00'), slip()] }))).toBe('ALLOW');
    expect(codeOf(tapIn({ slips: [gone('a', '07:10:00'), gone('b', '07:40:00'), slip()] }))).toBe('TRANSIT_LOCKED');
  });

  it('needs a slip from this station for a train leaving within 30 minutes', () => {
    expect(codeOf(tapIn({ slips: [] }))).toBe('NO_SEAT_SLIP');
    expect(codeOf(tapIn({ slips: [slip({ fromStation: 'TJN' })] }))).toBe('NO_SEAT_SLIP');
    expect(codeOf(tapIn({ slips: [slip({ departsAt: iso(at('08:30:00')) })] }))).toBe('ALLOW');
    expect(codeOf(tapIn({ slips: [slip({ departsAt: iso(at('08:30:01')) })] }))).toBe('NO_SEAT_SLIP');
    expect(codeOf(tapIn({ slips: [slip({ departsAt: iso(at('08:00:00')) })] }))).toBe('ALLOW');
    expect(codeOf(tapIn({ slips: [slip({ departsAt: iso(at('07:59:59')) })] }))).toBe('NO_SEAT_SLIP');
  });

  it('lets a holder in without a slip under a rule version without seat-first, against the fare to the farthest station', () => {
    const noSeatFirst = { ...v1, seatFirst: { ...v1.seatFirst, required: false } };
    // From Beijing South the farthest station in service is Binhai: 75.5 yuan.
    expect(tapIn({ slips: [], balanceFen: 7550 }, at('08:00:00'), null, noSeatFirst)).toMatchObject({
      decision: 'ALLOW',
      slip: null,
      terminus: 'BHI',
      requiredFen: 7550,
    });
    expect(tapIn({ slips: [], balanceFen: 7549 }, at('08:00:00'), null, noSeatFirst)).toMatchObject({
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE' },
    });
    // A slip still names the train, and its terminus bounds the requirement.
    expect(tapIn({ balanceFen: 5450 }, at('08:00:00'), null, noSeatFirst)).toMatchObject({
      decision: 'ALLOW',
      terminus: 'TJN',
      slip: { reservationId: 'r-1' },
    });
    expect(codeOf(tapIn({ slips: [] }, at('08:00:00'), null, { ...v1, seatFirst: { ...v1.seatFirst, required: true } }))).toBe('NO_SEAT_SLIP');
  });

  it("needs a balance of at least the fare to the train's terminus: equal passes, one fen less does not", () => {
    const through = { slips: [slip({ terminus: 'BHI' })] };
    expect(tapIn({ ...through, balanceFen: 7550 })).toMatchObject({ decision: 'ALLOW', requiredFen: 7550 });
    expect(tapIn({ ...through, balanceFen: 7549 })).toMatchObject({
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE' },
      rule: 'entry.balance-below-terminus-fare',
    });
    expect(codeOf(tapIn({ balanceFen: null }))).toBe('INSUFFICIENT_BALANCE');
  });

  it('closes the journey at once with an exit uploaded before it, when the wallet covers the fare', () => {
    const exit = { tapId: 'out-1', station: 'WQI', gateId: 'WQI-OUT', tappedAt: iso(at('08:30:00')) };
    expect(tapIn({ pendingExit: exit })).toMatchObject({ decision: 'ALLOW', completion: { exit, fare: { fareFen: 3900, rule: 'fare.od-table' } } });
    expect(tapIn({ pendingExit: { ...exit, station: 'BHI' }, balanceFen: 6000 })).toMatchObject({ decision: 'ALLOW', completion: null });
  });
});

describe('tap OUT: every refusal and its rule', () => {
  const journey = { journeyId: 'j-1', entryStation: 'BJN', entryAt: iso(at('08:00:00')), ruleSet: ref };
  const outFacts = (over: Partial<TapOutFacts> = {}): TapOutFacts => ({
    card,
    station: 'TJN',
    previousTapAtGate: null,
    openJourney: journey,
    balanceFen: 10_000,
    ...over,
  });
  const tapOut = (over: Partial<TapOutFacts> = {}, tappedAt = at('08:40:00'), exitRules = v1, entryRules: typeof v1 | null = v1) =>
    decideTapOut(exitRules, entryRules, { tappedAt }, outFacts(over));

  it('charges the OD fare of the rule version in force at entry', () => {
    expect(tapOut()).toEqual({ decision: 'ALLOW', rule: 'fare.od-table', fare: { fareFen: 5450, rule: 'fare.od-table' } });
    const dearer = { ...v2, fares: { ...v2.fares, BJN: { ...v2.fares.BJN!, TJN: 6000 } } };
    expect(tapOut({}, at('08:40:00'), dearer, v1)).toMatchObject({ fare: { fareFen: 5450 } });
  });

  it('refuses an unknown card, and a closed station', () => {
    expect(codeOf(tapOut({ card: null }))).toBe('CARD_UNKNOWN');
    expect(codeOf(tapOut({ station: 'YLE' }))).toBe('STATION_NOT_IN_SERVICE');
  });

  it('lets a lost card out: the ride happened and its wallet pays', () => {
    expect(codeOf(tapOut({ card: { ...card, status: 'TEMPORARY_LOSS' } }))).toBe('ALLOW');
  });

  it('calls a repeat within the window DUPLICATE_TAP rather than NO_OPEN_JOURNEY', () => {
    expect(codeOf(tapOut({ openJourney: null, previousTapAtGate: iso(at('08:39:55')) }))).toBe('DUPLICATE_TAP');
    expect(codeOf(tapOut({ openJourney: null, previousTapAtGate: iso(at('08:39:50')) }))).toBe('NO_OPEN_JOURNEY');
  });

  it('finds no open journey when there is none, or it was entered after the exit tap', () => {
    expect(codeOf(tapOut({ openJourney: null }))).toBe('NO_OPEN_JOURNEY');
    expect(codeOf(tapOut({}, at('07:59:59')))).toBe('NO_OPEN_JOURNEY');
  });

  it('sends an unresolved journey to a window', () => {
    expect(codeOf(tapOut({}, at('12:00:00')))).toBe('ALLOW');
    expect(codeOf(tapOut({}, at('12:00:01')))).toBe('UNRESOLVED_JOURNEY');
  });

  it('refuses an exit the wallet cannot pay: the journey stays open', () => {
    expect(tapOut({ balanceFen: 5450 })).toMatchObject({ decision: 'ALLOW' });
    expect(tapOut({ balanceFen: 5449 })).toMatchObject({ decision: 'DENY', reason: { code: 'INSUFFICIENT_BALANCE' }, rule: 'exit.balance-below-fare' });
  });

  it('is free at the entry station within 20 minutes', () => {
    expect(tapOut({ station: 'BJN' }, at('08:19:59'))).toMatchObject({ decision: 'ALLOW', fare: { fareFen: 0, rule: 'fare.same-station-free' } });
    expect(tapOut({ station: 'BJN' }, at('08:20:00'))).toMatchObject({ decision: 'ALLOW', fare: { fareFen: 950, rule: 'fare.same-station-after-window' } });
  });
});

describe('the duplicate-tap window', () => {
  it('is strictly less than duplicateTapWindowSeconds, either side of the recorded tap', () => {
    const t = at('08:00:00');
    expect(isDuplicateTap(v1, t, null)).toBe(false);
    expect(isDuplicateTap(v1, t, iso(new Date(t.getTime() - 9_999)))).toBe(true);
    expect(isDuplicateTap(v1, t, iso(new Date(t.getTime() - 10_000)))).toBe(false);
    expect(isDuplicateTap(v1, t, iso(new Date(t.getTime() + 9_999)))).toBe(true);
    expect(isDuplicateTap(v1, t, iso(t))).toBe(true);
  });
});
