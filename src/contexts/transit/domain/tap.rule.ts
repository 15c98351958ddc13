import type { Fen, Reason } from '@onecard/kernel';
import type { TransitNetworkParameters } from '@onecard/rules';
import { entryRequirementFen, exitFare, type ExitFare } from './fare.rule.js';
import { farthestStationFrom, isInService } from './network.js';
import type { CardFacts, Denial, PendingExitFact, SlipFact, TapInFacts, TapOutFacts } from './tap-facts.js';
import { transitReason } from './transit-reasons.js';

const MINUTE_MS = 60_000;

export type TapInDecision =
  | Denial
  | {
      decision: 'ALLOW';
      rule: string;
      /** The slip entry used; null where the rule version does not require one. */
      slip: SlipFact | null;
      terminus: string;
      requiredFen: Fen;
      /** An exit tap uploaded before this entry closes the journey at once (ADR 0008). */
      completion: { exit: PendingExitFact; fare: ExitFare } | null;
    };

export type TapOutDecision = Denial | { decision: 'ALLOW'; rule: string; fare: ExitFare };

/** A second tap at the same gate less than `duplicateTapWindowSeconds` from a recorded one. */
export function isDuplicateTap(p: TransitNetworkParameters, tappedAt: Date, previousTapAtGate: string | null): boolean {
  if (!previousTapAtGate) return false;
  return Math.abs(tappedAt.getTime() - new Date(previousTapAtGate).getTime()) < p.duplicateTapWindowSeconds * 1000;
}

/** Cards the rule data lets ride: issuing region and generation, then the rail application itself. */
export function cardProductRefusal(p: TransitNetworkParameters, card: CardFacts): Reason | null {
  if (!p.eligibility.issuingRegions.includes(card.issuingRegion as never) || !p.eligibility.generations.includes(card.generation)) {
    return transitReason('CARD_PRODUCT_NOT_ELIGIBLE');
  }
  if (!card.transitApp) return transitReason('NO_TRANSIT_APPLICATION');
  return null;
}

/** Slips whose train has left without the card entering (they count toward the transit lock). */
export function unusedSlips(slips: readonly SlipFact[], at: Date): SlipFact[] {
  return slips.filter((s) => new Date(s.departsAt).getTime() < at.getTime());
}

/** A slip from this station for a train leaving within the next `slipRequiredForDepartureWithinMinutes`. */
export function slipForEntry(p: TransitNetworkParameters, slips: readonly SlipFact[], station: string, at: Date): SlipFact | null {
  const horizon = at.getTime() + p.seatFirst.slipRequiredForDepartureWithinMinutes * MINUTE_MS;
  const fitting = slips
    .filter((s) => s.fromStation === station)
    .filter((s) => {
      const t = new Date(s.departsAt).getTime();
      return t >= at.getTime() && t <= horizon;
    })
    .sort((a, b) => a.departsAt.localeCompare(b.departsAt));
  return fitting[0] ?? null;
}

/** An open journey older than `unresolvedAfterMinutes` is unresolved: a window must close it. */
export function isUnresolved(p: TransitNetworkParameters, entryAt: string, at: Date): boolean {
  return at.getTime() - new Date(entryAt).getTime() > p.missingTapOut.unresolvedAfterMinutes * MINUTE_MS;
}

/**
 * Entry, in this order: card status (shared refusal), card product, station in service, duplicate
 * tap, open journey (recent: already open; old: unresolved), transit lock (unused slips), seat slip
 * for a train leaving soon, balance ≥ fare to the slip's train's terminus. All as of `tappedAt`
 * under the rule version in force then.
 */
export function decideTapIn(p: TransitNetworkParameters, input: { tappedAt: Date; cardStatusRefusal: Reason | null }, facts: TapInFacts): TapInDecision {
  const deny = (reason: Reason, rule: string): Denial => ({ decision: 'DENY', reason, rule });
  const { tappedAt } = input;
  if (input.cardStatusRefusal || !facts.card) return deny(input.cardStatusRefusal ?? transitReason('CARD_UNKNOWN'), 'card.status');
  const product = cardProductRefusal(p, facts.card);
  if (product) return deny(product, 'entry.card-product');
  if (!isInService(p, facts.station)) return deny(transitReason('STATION_NOT_IN_SERVICE'), 'network.station-in-service');
  if (isDuplicateTap(p, tappedAt, facts.previousTapAtGate)) return deny(transitReason('DUPLICATE_TAP'), 'tap.duplicate-window');
  if (facts.openJourney) {
    return isUnresolved(p, facts.openJourney.entryAt, tappedAt)
      ? deny(transitReason('UNRESOLVED_JOURNEY'), 'entry.unresolved-journey')
      : deny(transitReason('JOURNEY_ALREADY_OPEN'), 'entry.journey-open');
  }
  if (unusedSlips(facts.slips, tappedAt).length >= p.seatFirst.unusedSlipsLockAt) return deny(transitReason('TRANSIT_LOCKED'), 'seat-first.unused-slips-lock');
  const slip = slipForEntry(p, facts.slips, facts.station, tappedAt);
  if (!slip && (p.seatFirst.required ?? true)) return deny(transitReason('NO_SEAT_SLIP'), 'seat-first.slip-required');
  // Without a slip (a rule version without seat-first) the train is unknown: the farthest station bounds the fare.
  const terminus = slip ? slip.terminus : farthestStationFrom(p, facts.station);
  const requiredFen = entryRequirementFen(p, facts.station, terminus);
  const balance = facts.balanceFen ?? 0;
  if (balance < requiredFen) {
    return deny(
      transitReason('INSUFFICIENT_BALANCE', `Entry needs ${requiredFen} fen (the fare to ${terminus}); the balance is ${balance} fen.`),
      'entry.balance-below-terminus-fare',
    );
  }
  let completion: { exit: PendingExitFact; fare: ExitFare } | null = null;
  if (facts.pendingExit) {
    const fare = exitFare(p, { station: facts.station, at: tappedAt }, { station: facts.pendingExit.station, at: new Date(facts.pendingExit.tappedAt) });
    // Unaffordable: the journey stays open for a window to settle, as a live exit would.
    if (fare.fareFen <= balance) completion = { exit: facts.pendingExit, fare };
  }
  return { decision: 'ALLOW', rule: 'entry.allowed', slip, terminus, requiredFen, completion };
}

/**
 * Exit, in this order: card known, station in service (rule version in force at the tap),
 * duplicate tap, an open journey entered before the tap, not unresolved, balance ≥ the fare; the
 * fare from the rule version in force at entry (`entryRules`).
 */
export function decideTapOut(
  exitRules: TransitNetworkParameters,
  entryRules: TransitNetworkParameters | null,
  input: { tappedAt: Date },
  facts: TapOutFacts,
): TapOutDecision {
  const deny = (reason: Reason, rule: string): Denial => ({ decision: 'DENY', reason, rule });
  const { tappedAt } = input;
  if (!facts.card) return deny(transitReason('CARD_UNKNOWN'), 'card.status');
  if (!isInService(exitRules, facts.station)) return deny(transitReason('STATION_NOT_IN_SERVICE'), 'network.station-in-service');
  if (isDuplicateTap(exitRules, tappedAt, facts.previousTapAtGate)) return deny(transitReason('DUPLICATE_TAP'), 'tap.duplicate-window');
  const journey = facts.openJourney;
  if (!journey || !entryRules || new Date(journey.entryAt).getTime() > tappedAt.getTime()) return deny(transitReason('NO_OPEN_JOURNEY'), 'exit.open-journey');
  if (isUnresolved(entryRules, journey.entryAt, tappedAt)) return deny(transitReason('UNRESOLVED_JOURNEY'), 'exit.unresolved-journey');
  const fare = exitFare(entryRules, { station: journey.entryStation, at: new Date(journey.entryAt) }, { station: facts.station, at: tappedAt });
  const balance = facts.balanceFen ?? 0;
  if (balance < fare.fareFen) {
    return deny(transitReason('INSUFFICIENT_BALANCE', `The fare is ${fare.fareFen} fen; the balance is ${balance} fen.`), 'exit.balance-below-fare');
  }
  return { decision: 'ALLOW', rule: fare.rule, fare };
}
