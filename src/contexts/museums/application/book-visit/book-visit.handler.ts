import { CardsFacade, cardStatusRefusal } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { businessInstant, Problems, type Reason, type Region } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { MuseumBookingRules, RuleBook } from '@onecard/rules';
import { monthOf, slotInstants } from '../../domain/booking.rule.js';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { BookVisitCommand, type ReservationAnswer } from './book-visit.command.js';
import { decideReservation, type RecordedBookingFacts } from './booking-outcome.js';

export const MUSEUMS_BOOK = 'museums.book';

/**
 * A real-name reservation for a timed slot (一卡通览), idempotent by reservationId. The museum
 * region's booking rules in force on the visit date give the slot pattern, the closed days, the
 * booking window, the per-person limits and the no-show ban; the museum's configuration gives the
 * seats per slot. The holder's bookings at the museum are counted under a per-holder lock, and the
 * seat is taken with a conditional upsert, so the last seat goes to exactly one booking. Free: no
 * money moves, but the decision is journaled like any other.
 */
@CommandHandler(BookVisitCommand)
export class BookVisitHandler implements ICommandHandler<BookVisitCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: MuseumsRepository,
    private readonly venues: VenueDirectory,
    private readonly rules: RuleBook,
  ) {}

  async execute(command: BookVisitCommand): Promise<CommandResult<ReservationAnswer>> {
    const { reservationId, cardNo, museumId, date, slot, terminalId } = command;
    const museum = await this.repository.findMuseum(museumId);
    let region: Region;
    if (museum) region = museum.region;
    else {
      // An id that names no museum is bad input (nothing written); a museum not set up for booking is a DENY.
      const venue = await this.venues.findVenue(museumId);
      if (!venue || venue.kind !== 'MUSEUM') throw Problems.validation([{ pointer: '/museumId', detail: `unknown museum "${museumId}"` }]);
      region = venue.region;
    }
    const input = { cardNo, museumId, museumRegion: region, date, slot };
    const request = { date, slot };
    return this.executor.execute<ReservationAnswer>(
      { type: MUSEUMS_BOOK, id: reservationId, context: 'museums', terminalId, payload: { cardNo, museumId, date, slot } },
      async (tx): Promise<CommandOutcome<ReservationAnswer>> => {
        // The rules of the visit date: its slot pattern and closed days, and the limits that day.
        const ruleSet = this.rules.find(MuseumBookingRules, region, businessInstant(date, '00:00'));
        const ref = ruleSet?.ref ?? null;
        const card = await this.cards.findCard(cardNo, tx);
        const facts: RecordedBookingFacts = { cardStatus: card?.status ?? null, bookedAt: tx.now.toISOString(), slotQuota: museum?.slotQuota ?? null };
        const decide = () => decideReservation(ruleSet?.parameters ?? null, museumId, request, facts);
        const finish = (): CommandOutcome<ReservationAnswer> => {
          const decided = decide();
          const o = decided.outcome;
          if (o.decision === 'PENDING') throw new Error(`${MUSEUMS_BOOK} ${reservationId}: undecided after gathering every fact`);
          const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
          const response: ReservationAnswer = {
            decision: o.decision,
            ...(reason ? { reason } : {}),
            reservationId,
            cardNo,
            museumId,
            date,
            slot: o.slot,
            ...(o.decision === 'ALLOW' ? { status: 'BOOKED' as const } : {}),
            ...(o.bannedThrough ? { bannedThrough: o.bannedThrough } : {}),
            ruleSet: ref,
          };
          return {
            decision: o.decision,
            reason,
            ruleSet: ref,
            response,
            subject: cardNo,
            regions: [region],
            details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
          };
        };

        if (!card || cardStatusRefusal(card) || !ruleSet) return finish();
        let step = decide().verdict;
        if (step?.decision === 'PENDING' && step.needs === 'holder') {
          await this.repository.lockHolder(card.holder.holderId, museumId, tx);
          facts.holder = await this.repository.holderBookings(card.holder.holderId, museumId, date, monthOf(date), slot, tx);
          step = decide().verdict;
        }
        if (step?.decision === 'PENDING' && step.needs === 'seat') {
          const { endsAt } = slotInstants(date, step.slot);
          facts.slotFull = !(await this.repository.reserveWithinQuota(
            {
              reservationId,
              museumId,
              cardNo,
              holderId: card.holder.holderId,
              visitDate: date,
              slotStart: step.slot.start,
              slotEnd: step.slot.end,
              slotEndsAt: endsAt,
              bookedAt: tx.now,
              bookedVia: terminalId,
              ruleSet: ruleSet.ref,
            },
            museum!.slotQuota,
            tx,
          ));
        }
        return finish();
      },
    );
  }
}
