import { CardsFacade, cardStatusRefusal } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { LedgerReads } from '@onecard/ledger';
import { businessDateOf, Problems } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandPlan, type CommandOutcome } from '@onecard/engine';
import { cancellationRefusal } from '../../domain/reservation.rule.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { TimetableCache } from '../../infrastructure/timetable-cache.js';
import { TransitRepository } from '../../infrastructure/transit.repository.js';
import { toCardFacts } from '../card-facts.js';
import { CancelSeatReservationCommand, type CancellationAnswer } from './cancel-seat-reservation.command.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';

/**
 * Cancels an unused seat slip, freeing its seat: at a machine of the slip's station (another
 * station's machine is acting for another venue: 403), before the train leaves, at most
 * `cancellationsPerStationPerDay` per card, station and day (Asia/Shanghai).
 */
@CommandHandler(CancelSeatReservationCommand)
export class CancelSeatReservationHandler extends PlannedCommandHandler<CancelSeatReservationCommand, CancellationAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
    private readonly timetables: TimetableCache,
  ) {
    super(executor);
  }

  protected plan(c: CancelSeatReservationCommand): CommandPlan<CancellationAnswer> {
    const payload = { reservationId: c.reservationId, cardNo: c.cardNo };
    return {
      envelope: { type: TRANSIT_COMMANDS.seatCancellation, id: c.cancellationId, context: 'transit', terminalId: c.machine.terminalId, payload },
      decide: async (_, tx): Promise<CommandOutcome<CancellationAnswer>> => {
        const today = businessDateOf(tx.now);
        const input = {
          cancellationId: c.cancellationId,
          reservationId: c.reservationId,
          cardNo: c.cardNo,
          station: c.machine.station,
          now: tx.now.toISOString(),
        };
        const base = { subject: c.cardNo, response: { cancellationId: c.cancellationId, reservationId: c.reservationId } };
        const network = this.timetables.networkOn(today);
        if (!network) {
          const reason = transitReason('RULES_NOT_IN_FORCE');
          return {
            decision: 'DENY',
            reason,
            ruleSet: null,
            subject: c.cardNo,
            details: { input, facts: {}, outcome: { decision: 'DENY', reason: reason.code }, rule: 'network.in-force' },
            response: { decision: 'DENY', reason, ...base.response },
          };
        }
        const card = await tx.read(this.cards.cardRead(c.cardNo));
        const statusRefusal = cardStatusRefusal(card);
        if (card?.accounts.transit && !statusRefusal) await tx.read(LedgerReads.lockedBalances([card.accounts.transit]));
        const slip = statusRefusal ? null : await this.repository.findSlip(tx, c.reservationId);
        if (slip && slip.cardNo === c.cardNo && slip.fromStation !== c.machine.station) {
          throw Problems.forbidden(
            `Seat slip ${c.reservationId} was issued at ${slip.fromStation}; it is cancelled at a seat machine there, not at ${c.machine.station}.`,
          );
        }
        const cancellationsToday = slip ? await this.repository.cancellationsOn(tx, c.cardNo, c.machine.station, today) : 0;
        const facts = { card: toCardFacts(card), slip, cancellationsToday };
        const refusal = cancellationRefusal(network.parameters, { now: tx.now, cardNo: c.cardNo, cardStatusRefusal: statusRefusal }, facts);
        if (refusal) {
          return {
            decision: 'DENY',
            reason: refusal.reason,
            ruleSet: network.ref,
            subject: c.cardNo,
            details: { input, facts, outcome: { decision: 'DENY', reason: refusal.reason.code }, rule: refusal.rule },
            response: { decision: 'DENY', reason: refusal.reason, ...base.response },
          };
        }
        await this.repository.cancelSlip(tx, c.reservationId, tx.now, c.machine.station, today);
        this.repository.releaseSeat(tx, c.reservationId);
        return {
          decision: 'ALLOW',
          ruleSet: network.ref,
          subject: c.cardNo,
          details: { input, facts, outcome: { decision: 'ALLOW' }, rule: 'seat-first.cancellations-per-station-per-day' },
          response: { decision: 'ALLOW', ...base.response },
        };
      },
    };
  }
}
