import { CardsFacade, cardStatusRefusal } from '@contexts/cards';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatBusinessInstant, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult, type CommandTx } from '@onecard/engine';
import { stationOf } from '../../domain/network.js';
import { candidateTrains, chooseSeat, reservationRefusal, type SeatChoice } from '../../domain/reservation.rule.js';
import { commuterSeats } from '../../domain/seat-map.js';
import type { SlipFact } from '../../domain/tap-facts.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { TimetableCache } from '../../infrastructure/timetable-cache.js';
import { TransitRepository } from '../../infrastructure/transit.repository.js';
import { toCardFacts } from '../card-facts.js';
import { ReserveSeatCommand, type SeatSlipAnswer } from './reserve-seat.command.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';

/**
 * Seat first (REFERENCE.md §1): the next train on the travel date from the machine's station toward
 * the destination with a free commuter seat, under the rule version in force on the travel date.
 * The card's wallet row is locked (one reservation per card at a time), then the chosen train
 * (seats of one train are allocated one reservation after another; the seat's unique index stays
 * as the last line of defence).
 */
@CommandHandler(ReserveSeatCommand)
export class ReserveSeatHandler implements ICommandHandler<ReserveSeatCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
    private readonly timetables: TimetableCache,
  ) {}

  execute(c: ReserveSeatCommand): Promise<CommandResult<SeatSlipAnswer>> {
    const payload = { cardNo: c.cardNo, fromStation: c.fromStation, toStation: c.toStation, travelDate: c.travelDate };
    return this.executor.execute<SeatSlipAnswer>(
      { type: TRANSIT_COMMANDS.seatReservation, id: c.reservationId, context: 'transit', terminalId: c.machine.terminalId, payload },
      (tx) => this.reserve(tx, c),
    );
  }

  private async reserve(tx: CommandTx, c: ReserveSeatCommand): Promise<CommandOutcome<SeatSlipAnswer>> {
    const input = {
      reservationId: c.reservationId,
      cardNo: c.cardNo,
      fromStation: c.fromStation,
      toStation: c.toStation,
      travelDate: c.travelDate,
      now: tx.now.toISOString(),
    };
    const deny = (
      reason: Reason,
      rule: string,
      facts: Record<string, unknown>,
      ruleSet: CommandOutcome<SeatSlipAnswer>['ruleSet'] = null,
    ): CommandOutcome<SeatSlipAnswer> => ({
      decision: 'DENY',
      reason,
      ruleSet,
      subject: c.cardNo,
      details: { input, facts, outcome: { decision: 'DENY', reason: reason.code }, rule },
      response: { decision: 'DENY', reason, reservationId: c.reservationId, trainNo: null, departsAt: null, car: null, seat: null, terminus: null },
    });
    const network = this.timetables.networkOn(c.travelDate);
    if (!network) return deny(transitReason('RULES_NOT_IN_FORCE'), 'network.in-force', {});
    const p = network.parameters;
    const card = await this.cards.findCard(c.cardNo, tx);
    const cardFacts = toCardFacts(card);
    const statusRefusal = cardStatusRefusal(card);
    let slips: SlipFact[] = [];
    const wallet = card?.accounts.transit ?? null;
    if (card && wallet && !statusRefusal) {
      await tx.ledger.balances([wallet], { lock: true });
      slips = await this.repository.liveSlips(tx, c.cardNo);
    }
    const refusal = reservationRefusal(
      p,
      { now: tx.now, travelDate: c.travelDate, fromStation: c.fromStation, toStation: c.toStation, cardStatusRefusal: statusRefusal },
      { card: cardFacts, slips },
    );
    if (refusal) return deny(refusal.reason, refusal.rule, { card: cardFacts, slips }, network.ref);

    const timetable = this.timetables.timetable(c.travelDate, network);
    const candidates = candidateTrains(timetable, { now: tx.now, travelDate: c.travelDate, fromStation: c.fromStation, toStation: c.toStation });
    const occupancy = await this.repository.occupancy(
      tx,
      c.travelDate,
      candidates.map((x) => x.train.trainNo),
    );
    const capacity = commuterSeats(p.timetable.consist).length;
    // Only the first train with room needs its seats read; a stale count just moves on to the next.
    let choice: SeatChoice = null;
    let taken: string[] = [];
    const considered: Record<string, number> = {};
    for (const candidate of candidates) {
      const n = occupancy.get(candidate.train.trainNo) ?? 0;
      considered[candidate.train.trainNo] = n;
      if (n >= capacity) continue;
      taken = await this.repository.takenSeatsLocked(tx, c.travelDate, candidate.train.trainNo);
      considered[candidate.train.trainNo] = taken.length;
      choice = chooseSeat(p, [candidate], new Map([[candidate.train.trainNo, taken.length]]), () => new Set(taken));
      if (choice) break;
    }
    const facts = { card: cardFacts, slips, occupancy: considered, takenSeats: taken };
    if (!choice) return deny(transitReason('NO_TRAIN_AVAILABLE'), 'seat-first.next-train-with-free-seat', facts, network.ref);

    await this.repository.insertSlip(tx, {
      reservationId: c.reservationId,
      cardNo: c.cardNo,
      travelDate: c.travelDate,
      trainNo: choice.train.trainNo,
      fromStation: c.fromStation,
      toStation: c.toStation,
      terminus: choice.terminus,
      departsAt: choice.departsAt,
      car: choice.seat.car,
      seat: choice.seat.seat,
      terminalId: c.machine.terminalId,
      reservedAt: tx.now,
      ruleSet: network.ref,
    });
    const region = stationOf(p, c.fromStation)?.region;
    return {
      decision: 'ALLOW',
      ruleSet: network.ref,
      subject: c.cardNo,
      regions: region ? [region] : [],
      details: { input, facts, outcome: seatOutcome(choice), rule: 'seat-first.next-train-with-free-seat' },
      response: {
        decision: 'ALLOW',
        reservationId: c.reservationId,
        trainNo: choice.train.trainNo,
        departsAt: formatBusinessInstant(choice.departsAt),
        car: choice.seat.car,
        seat: choice.seat.seat,
        terminus: choice.terminus,
      },
    };
  }
}

/** The recomputable outcome of a seat choice (journal and replay). */
export function seatOutcome(choice: NonNullable<SeatChoice>): Record<string, unknown> {
  return {
    decision: 'ALLOW',
    trainNo: choice.train.trainNo,
    departsAt: choice.departsAt.toISOString(),
    car: choice.seat.car,
    seat: choice.seat.seat,
    terminus: choice.terminus,
  };
}
