import { cardStatusRefusal, type CardStatus } from '@contexts/cards';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { startOfBusinessDay, type DecisionDetails, type RuleRef } from '@onecard/kernel';
import { ReplayRegistry, RuleBook, TransitNetworkRules, type DecisionReplayer, type RecordedDecision } from '@onecard/rules';
import { exitFare, farthestStationCharge, incompleteJourneyCharge } from '../../domain/fare.rule.js';
import {
  candidateTrains,
  cancellationRefusal,
  chooseSeat,
  reservationRefusal,
  type CancellationFacts,
  type SeatChoice,
} from '../../domain/reservation.rule.js';
import { commuterSeats } from '../../domain/seat-map.js';
import type { CardFacts, SlipFact, TapInFacts, TapOutFacts } from '../../domain/tap-facts.js';
import { decideTapIn, decideTapOut } from '../../domain/tap.rule.js';
import { generateTimetable, terminusOf } from '../../domain/timetable.js';
import { seatOutcome } from '../reserve-seat/reserve-seat.handler.js';
import { tapInOutcome, tapOutOutcome } from '../tap-card/tap-outcome.js';
import { NETWORK_REGION } from '../../infrastructure/timetable-cache.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';

type In = Record<string, any>;

const refusalOf = (card: CardFacts | null) => cardStatusRefusal(card ? { status: card.status as CardStatus } : null);
const NOT_IN_FORCE = { decision: 'DENY', reason: 'RULES_NOT_IN_FORCE' };

/**
 * Recomputes transit decisions from their journaled input and facts with the recorded rule
 * version (`POST /v1/admin/decisions/{commandId}/replay`), through the same domain rules the
 * handlers use. Pure: no database, no clock.
 */
@Injectable()
export class TransitDecisionReplayer implements DecisionReplayer, OnModuleInit {
  readonly commandTypes = [
    TRANSIT_COMMANDS.tap,
    TRANSIT_COMMANDS.seatReservation,
    TRANSIT_COMMANDS.seatCancellation,
    TRANSIT_COMMANDS.journeyResolution,
    TRANSIT_COMMANDS.incompleteCharge,
  ];

  constructor(private readonly registry: ReplayRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  replay(details: DecisionDetails, rules: RuleBook, recorded: RecordedDecision): Record<string, unknown> {
    if (details.rule === 'network.in-force') return NOT_IN_FORCE;
    const input = details.input as In;
    switch (recorded.commandType) {
      case TRANSIT_COMMANDS.tap:
        return input.direction === 'IN'
          ? this.tapIn(input, details.facts as TapInFacts, rules)
          : this.tapOut(input, details.facts as TapOutFacts & { exitRuleSet: RuleRef }, rules);
      case TRANSIT_COMMANDS.seatReservation:
        return this.reservation(input, details.facts as In, rules);
      case TRANSIT_COMMANDS.seatCancellation: {
        const facts = details.facts as unknown as CancellationFacts;
        const p = rules.resolve(TransitNetworkRules, NETWORK_REGION, new Date(input.now)).parameters;
        const refusal = cancellationRefusal(p, { now: new Date(input.now), cardNo: input.cardNo, cardStatusRefusal: refusalOf(facts.card) }, facts);
        return refusal ? { decision: 'DENY', reason: refusal.reason.code } : { decision: 'ALLOW' };
      }
      case TRANSIT_COMMANDS.journeyResolution: {
        const facts = details.facts as In;
        if (facts.status !== 'OPEN') return { decision: 'DENY', reason: 'JOURNEY_NOT_OPEN' };
        const p = rules.byRef(TransitNetworkRules, recorded.ruleSet!).parameters;
        const fare = exitFare(p, { station: facts.entryStation, at: new Date(facts.entryAt) }, { station: input.exitStation, at: new Date(input.at) });
        if ((facts.balanceFen ?? 0) < fare.fareFen) return { decision: 'DENY', reason: 'INSUFFICIENT_BALANCE' };
        return { decision: 'ALLOW', fareFen: fare.fareFen, fareRule: fare.rule };
      }
      case TRANSIT_COMMANDS.incompleteCharge: {
        const facts = details.facts as In;
        if (facts.status !== 'OPEN') return { decision: 'DENY', reason: 'JOURNEY_NOT_OPEN' };
        const p = rules.byRef(TransitNetworkRules, recorded.ruleSet!).parameters;
        if (details.rule === 'missing-tap-out.farthest-station') {
          // Journaled before issue 12: charged to the farthest station of the line. Replayed as made.
          const { farthestStation, fareFen } = farthestStationCharge(p, facts.entryStation);
          return { decision: 'ALLOW', farthestStation, fareFen, chargedFen: Math.min(fareFen, facts.balanceFen) };
        }
        const { terminus, fareFen } = incompleteJourneyCharge(p, { entryStation: facts.entryStation, terminus: facts.terminus });
        return { decision: 'ALLOW', terminus, fareFen, chargedFen: Math.min(fareFen, facts.balanceFen) };
      }
      default:
        throw new Error(`not a transit command type: ${recorded.commandType}`);
    }
  }

  private tapIn(input: In, facts: TapInFacts, rules: RuleBook): Record<string, unknown> {
    const tappedAt = new Date(input.tappedAt);
    const p = rules.resolve(TransitNetworkRules, NETWORK_REGION, tappedAt).parameters;
    return tapInOutcome(decideTapIn(p, { tappedAt, cardStatusRefusal: refusalOf(facts.card) }, facts));
  }

  private tapOut(input: In, facts: TapOutFacts & { exitRuleSet: RuleRef }, rules: RuleBook): Record<string, unknown> {
    const exitRules = rules.byRef(TransitNetworkRules, facts.exitRuleSet).parameters;
    const entryRules = facts.openJourney ? rules.byRef(TransitNetworkRules, facts.openJourney.ruleSet).parameters : null;
    return tapOutOutcome(decideTapOut(exitRules, entryRules, { tappedAt: new Date(input.tappedAt) }, facts));
  }

  private reservation(input: In, facts: In, rules: RuleBook): Record<string, unknown> {
    const network = rules.resolve(TransitNetworkRules, NETWORK_REGION, startOfBusinessDay(input.travelDate));
    const p = network.parameters;
    const now = new Date(input.now);
    const request = { now, travelDate: input.travelDate, fromStation: input.fromStation, toStation: input.toStation };
    const card = (facts.card ?? null) as CardFacts | null;
    const refusal = reservationRefusal(p, { ...request, cardStatusRefusal: refusalOf(card) }, { card, slips: (facts.slips ?? []) as SlipFact[] });
    if (refusal) return { decision: 'DENY', reason: refusal.reason.code };
    const candidates = candidateTrains(generateTimetable(p, network.ref, input.travelDate), request);
    if ('seat' in facts) {
      // Inventory (SeatInventory1796010200000): the seat the reservation claimed is a fact; the
      // outcome is that seat on its candidate train, or no train when every candidate was full.
      const claimed = facts.seat as { trainNo: string; car: number; seat: string } | null;
      const candidate = claimed ? candidates.find((x) => x.train.trainNo === claimed.trainNo) : undefined;
      if (!claimed || !candidate) return { decision: 'DENY', reason: 'NO_TRAIN_AVAILABLE' };
      return seatOutcome({
        train: candidate.train,
        departsAt: candidate.departsAt,
        terminus: terminusOf(candidate.train),
        seat: { car: claimed.car, seat: claimed.seat },
      });
    }
    // Before the inventory: the seat was chosen from the taken seats recorded with the decision.
    const occupancy = (facts.occupancy ?? {}) as Record<string, number>;
    const taken = new Set<string>(facts.takenSeats ?? []);
    const capacity = commuterSeats(p.timetable.consist).length;
    let choice: SeatChoice = null;
    for (const candidate of candidates) {
      const n = occupancy[candidate.train.trainNo];
      if (n === undefined) break;
      if (n >= capacity) continue;
      choice = chooseSeat(p, [candidate], new Map([[candidate.train.trainNo, n]]), () => taken);
      if (choice) break;
    }
    return choice ? seatOutcome(choice) : { decision: 'DENY', reason: 'NO_TRAIN_AVAILABLE' };
  }
}
