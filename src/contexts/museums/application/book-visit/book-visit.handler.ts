import { CardsFacade, refuseUnusableCard, type CardView } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Facts, type Read } from '@onecard/engine';
import { businessInstant, Problems, type Reason, type Region } from '@onecard/kernel';
import { MuseumBookingRules, RuleBook } from '@onecard/rules';
import { monthOf, slotInstants } from '../../domain/booking.rule.js';
import { MUSEUMS_COMMANDS } from '../../domain/museums-commands.js';
import { MuseumsRepository, type HolderBookings, type StoredMuseum } from '../../infrastructure/museums.repository.js';
import { BookVisitCommand, type ReservationAnswer } from './book-visit.command.js';
import { decideReservation, type RecordedBookingFacts } from './booking-outcome.js';

/** What a booking reads, in this order: the locks first, then the card and its holder's bookings as they stand once the locks are held. */
type BookingReads = {
  /** The holder's booking lock at the museum. */
  holderLock: Read<void>;
  /** The seats booked of the slot asked for, the counter row locked. */
  seats: Read<number | null>;
  card: Read<CardView | null>;
  bookings: Read<HolderBookings>;
};

/**
 * A real-name reservation for a timed slot (一卡通览), idempotent by reservationId. The museum
 * region's booking rules in force on the visit date give the slot pattern, the closed days, the
 * booking window, the per-person limits and the no-show ban; the museum's configuration gives the
 * seats per slot. The holder's bookings at the museum are counted under the holder's lock, and the
 * slot's seats under the slot's counter lock, so the limits hold and the last seat goes to exactly
 * one booking. Free: no money moves, but the decision is journaled like any other.
 */
@CommandHandler(BookVisitCommand)
export class BookVisitHandler extends PlannedCommandHandler<BookVisitCommand, ReservationAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: MuseumsRepository,
    private readonly venues: VenueDirectory,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected async plan(c: BookVisitCommand): Promise<CommandPlan<ReservationAnswer, BookingReads>> {
    const { reservationId, cardNo, museumId, date, slot, terminalId } = c;
    const museum = await this.repository.findMuseum(museumId);
    let region: Region;
    if (museum) region = museum.region;
    else {
      // An id that names no museum is bad input (nothing written); a museum not set up for booking is a DENY.
      const venue = await this.venues.findVenue(museumId);
      if (!venue || venue.kind !== 'MUSEUM') throw Problems.validation([{ pointer: '/museumId', detail: `unknown museum "${museumId}"` }]);
      region = venue.region;
    }
    const reads: BookingReads = {
      holderLock: this.repository.holderLockRead(cardNo, museumId),
      seats: this.repository.seatsBookedRead(museumId, date, slot),
      card: this.cards.cardRead(cardNo),
      bookings: this.repository.holderBookingsRead(cardNo, museumId, date, monthOf(date), slot),
    };
    return {
      envelope: { type: MUSEUMS_COMMANDS.book, id: reservationId, context: 'museums', terminalId, payload: { cardNo, museumId, date, slot } },
      reads,
      // The slot first (a batch takes the seat counters' locks in slot order), then the card: two
      // bookings of one slot never share a batch (the seats each read would not include the
      // other's), nor two of one card (the limits each counted would not include the other's). A
      // holder books with one usable card; the holder's lock covers another card in another batch.
      batchKeys: [`museums.slot:${museumId}:${date}:${slot}`, `card:${cardNo}`],
      decide: (f, tx) => this.book(tx, c, museum, region, f),
    };
  }

  /** The card usable, the request within the rules, the holder within their limits, a seat left. */
  private book(tx: CommandTx, c: BookVisitCommand, museum: StoredMuseum | null, region: Region, f: Facts<BookingReads>): CommandOutcome<ReservationAnswer> {
    const { reservationId, cardNo, museumId, date, slot, terminalId } = c;
    // The rules of the visit date: its slot pattern and closed days, and the limits that day.
    const ruleSet = this.rules.find(MuseumBookingRules, region, businessInstant(date, '00:00'));
    const ref = ruleSet?.ref ?? null;
    const input = { cardNo, museumId, museumRegion: region, date, slot };
    const request = { date, slot };
    const facts: RecordedBookingFacts = { cardStatus: f.card?.status ?? null, bookedAt: tx.now.toISOString(), slotQuota: museum?.slotQuota ?? null };
    const decide = () => decideReservation(ruleSet?.parameters ?? null, museumId, request, facts);
    const answer = (reason: Reason | undefined, extra: Partial<ReservationAnswer> = {}): ReservationAnswer => ({
      decision: reason ? 'DENY' : 'ALLOW',
      ...(reason ? { reason } : {}),
      reservationId,
      cardNo,
      museumId,
      date,
      slot: null,
      ...extra,
      ruleSet: ref,
    });

    const refused = refuseUnusableCard(f.card, {
      subject: cardNo,
      regions: [region],
      ruleSet: ref,
      answer: (reason) => answer(reason),
      details: () => ({ input, facts: { ...facts }, outcome: { ...decide().outcome }, rule: 'cards.card-status' }),
    });
    if (refused) return refused;

    // The decision comes from the recorded facts, as the replayer computes it.
    const finish = (): CommandOutcome<ReservationAnswer> => {
      const decided = decide();
      const o = decided.outcome;
      if (o.decision === 'PENDING') throw new Error(`${MUSEUMS_COMMANDS.book} ${reservationId}: undecided after gathering every fact`);
      const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
      return {
        decision: o.decision,
        reason,
        ruleSet: ref,
        response: answer(reason, {
          slot: o.slot,
          ...(o.decision === 'ALLOW' ? { status: 'BOOKED' as const } : {}),
          ...(o.bannedThrough ? { bannedThrough: o.bannedThrough } : {}),
        }),
        subject: cardNo,
        regions: [region],
        details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
      };
    };
    if (!ruleSet) return finish();

    let step = decide().verdict;
    if (step?.decision === 'PENDING' && step.needs === 'holder') {
      facts.holder = f.bookings;
      step = decide().verdict;
    }
    if (step?.decision === 'PENDING' && step.needs === 'seat') {
      facts.slotFull = (f.seats ?? 0) >= museum!.slotQuota;
      if (!facts.slotFull) {
        this.repository.deferReservation(
          tx,
          {
            reservationId,
            museumId,
            cardNo,
            holderId: f.card!.holder.holderId,
            visitDate: date,
            slotStart: step.slot.start,
            slotEnd: step.slot.end,
            slotEndsAt: slotInstants(date, step.slot).endsAt,
            bookedAt: tx.now,
            bookedVia: terminalId,
            ruleSet: ruleSet.ref,
          },
          f.seats,
        );
      }
    }
    return finish();
  }
}
