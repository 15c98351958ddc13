import { cardAccountCodes, CardsFacade, cardStatusRefusal, type CardView } from '@contexts/cards';
import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { CLOCK, formatBusinessInstant, type Clock, type Reason, type RuleRef } from '@onecard/kernel';
import { LedgerReads } from '@onecard/ledger';
import type { RuleSet, TransitNetworkParameters } from '@onecard/rules';
import { stationOf } from '../../domain/network.js';
import { candidateTrains, reservationRefusal, type SeatChoice } from '../../domain/reservation.rule.js';
import type { SlipFact } from '../../domain/tap-facts.js';
import { terminusOf } from '../../domain/timetable.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { TimetableCache } from '../../infrastructure/timetable-cache.js';
import { TransitRepository, type ClaimedSeat } from '../../infrastructure/transit.repository.js';
import { toCardFacts } from '../card-facts.js';
import { ReserveSeatCommand, type SeatSlipAnswer } from './reserve-seat.command.js';

interface ReservationFacts {
  card: CardView | null;
  wallet: Map<string, number>;
  slips: SlipFact[];
  seat: ClaimedSeat | null;
}

/**
 * Seat first (REFERENCE.md §1): the next train on the travel date from the machine's station toward
 * the destination with a free commuter seat, under the rule version in force on the travel date.
 * The card's wallet row is locked (one reservation per card at a time) and the seat is claimed from
 * the train-day's inventory with `FOR UPDATE SKIP LOCKED` in the same opening round trip, so
 * reservations for one train never wait for each other (ADR 0008). A reservation that decides DENY
 * gives its claimed seat back with its commit. Reservations of different cards commit together.
 */
@CommandHandler(ReserveSeatCommand)
export class ReserveSeatHandler extends PlannedCommandHandler<ReserveSeatCommand, SeatSlipAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
    private readonly timetables: TimetableCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(executor);
  }

  protected plan(c: ReserveSeatCommand): CommandPlan<SeatSlipAnswer> {
    const payload = { cardNo: c.cardNo, fromStation: c.fromStation, toStation: c.toStation, travelDate: c.travelDate };
    const envelope = { type: TRANSIT_COMMANDS.seatReservation, id: c.reservationId, context: 'transit', terminalId: c.machine.terminalId, payload };
    const now = this.clock.now();
    const network = this.timetables.networkOn(c.travelDate);
    if (!network) return { envelope, decide: () => this.deny(c, now, transitReason('RULES_NOT_IN_FORCE'), 'network.in-force', {}) };
    const timetable = this.timetables.timetable(c.travelDate, network);
    const candidates = candidateTrains(timetable, { now, travelDate: c.travelDate, fromStation: c.fromStation, toStation: c.toStation });
    const consist = network.parameters.timetable.consist;
    return {
      envelope,
      reads: {
        card: this.cards.cardRead(c.cardNo),
        wallet: LedgerReads.lockedBalances([cardAccountCodes({ cardNo: c.cardNo, transitApp: true, scheme: 'RESIDENT' }).transit!]),
        slips: this.repository.liveSlipsRead(c.cardNo),
        seat: this.repository.claimSeatRead({
          reservationId: c.reservationId,
          travelDate: c.travelDate,
          trainNos: candidates.map((x) => x.train.trainNo),
          seatClass: 'SECOND',
          layout: { cars: consist.commuterCars, rowsPerCar: consist.rowsPerCar, seatLetters: consist.seatLetters },
        }),
      },
      batchKeys: [`card:${c.cardNo}`],
      decide: (f: ReservationFacts, tx: CommandTx) => this.reserve(tx, c, now, network, candidates, f),
    };
  }

  /** The checks of a seat machine, then the seat claimed on the first candidate train that had one. */
  private reserve(
    tx: CommandTx,
    c: ReserveSeatCommand,
    now: Date,
    network: RuleSet<TransitNetworkParameters>,
    candidates: ReturnType<typeof candidateTrains>,
    f: ReservationFacts,
  ): CommandOutcome<SeatSlipAnswer> {
    const p = network.parameters;
    const card = toCardFacts(f.card);
    const usable = f.card && f.card.accounts.transit && !cardStatusRefusal(f.card);
    const slips = usable ? f.slips : [];
    const refusal = reservationRefusal(
      p,
      { now, travelDate: c.travelDate, fromStation: c.fromStation, toStation: c.toStation, cardStatusRefusal: cardStatusRefusal(f.card) },
      { card, slips },
    );
    const candidateTrainNos = candidates.map((x) => x.train.trainNo);
    const facts = { card, slips, candidates: candidateTrainNos, seat: f.seat };
    const release = () => {
      if (f.seat) this.repository.releaseSeat(tx, c.reservationId);
    };
    if (refusal) {
      release();
      return this.deny(c, now, refusal.reason, refusal.rule, facts, network.ref);
    }
    const candidate = f.seat ? candidates.find((x) => x.train.trainNo === f.seat!.trainNo) : undefined;
    if (!f.seat || !candidate) {
      release();
      return this.deny(c, now, transitReason('NO_TRAIN_AVAILABLE'), 'seat-first.next-train-with-free-seat', facts, network.ref);
    }
    const choice: NonNullable<SeatChoice> = {
      train: candidate.train,
      departsAt: candidate.departsAt,
      terminus: terminusOf(candidate.train),
      seat: { car: f.seat.car, seat: f.seat.seat },
    };
    this.repository.insertSlip(tx, {
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
      details: { input: this.input(c, now), facts, outcome: seatOutcome(choice), rule: 'seat-first.next-train-with-free-seat' },
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

  private input(c: ReserveSeatCommand, now: Date): Record<string, unknown> {
    return {
      reservationId: c.reservationId,
      cardNo: c.cardNo,
      fromStation: c.fromStation,
      toStation: c.toStation,
      travelDate: c.travelDate,
      now: now.toISOString(),
    };
  }

  private deny(
    c: ReserveSeatCommand,
    now: Date,
    reason: Reason,
    rule: string,
    facts: Record<string, unknown>,
    ruleSet: RuleRef | null = null,
  ): CommandOutcome<SeatSlipAnswer> {
    return {
      decision: 'DENY',
      reason,
      ruleSet,
      subject: c.cardNo,
      details: { input: this.input(c, now), facts, outcome: { decision: 'DENY', reason: reason.code }, rule },
      response: { decision: 'DENY', reason, reservationId: c.reservationId, trainNo: null, departsAt: null, car: null, seat: null, terminus: null },
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
