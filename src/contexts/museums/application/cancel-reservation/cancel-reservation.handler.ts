import { CardsFacade } from '@contexts/cards';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { businessInstant, Problems, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { decideCancellation, type CancellationFacts } from '../../domain/cancellation.rule.js';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { CancelReservationCommand, type CancellationAnswer } from './cancel-reservation.command.js';

export const MUSEUMS_CANCEL = 'museums.cancel';

/**
 * Cancels a reservation for its holder, idempotent by cancellationId, and gives the seat back.
 * The card only identifies the holder here (any of their cards, whatever its status: cancelling is
 * harmless); a reservation of someone else is answered as unknown. A museum's own terminal may
 * cancel only that museum's reservations (403 otherwise).
 */
@CommandHandler(CancelReservationCommand)
export class CancelReservationHandler implements ICommandHandler<CancelReservationCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: MuseumsRepository,
  ) {}

  execute(command: CancelReservationCommand): Promise<CommandResult<CancellationAnswer>> {
    const { cancellationId, reservationId, cardNo, terminal } = command;
    const input = { reservationId, cardNo };
    return this.executor.execute<CancellationAnswer>(
      { type: MUSEUMS_CANCEL, id: cancellationId, context: 'museums', terminalId: terminal.terminalId, payload: input },
      async (tx): Promise<CommandOutcome<CancellationAnswer>> => {
        const reservation = await this.repository.findReservation(reservationId, tx, { lock: true });
        if (reservation && terminal.kind !== 'HOLDER_APP' && terminal.venueId !== reservation.museumId) {
          throw Problems.forbidden(`Terminal ${terminal.terminalId} stands at ${terminal.venueId ?? 'no venue'}, not at ${reservation.museumId}.`);
        }
        const card = await this.cards.findCard(cardNo, tx);
        const found = !!reservation && !!card && card.holder.holderId === reservation.holderId;
        const facts: CancellationFacts = {
          found,
          status: found ? reservation!.status : null,
          slotStartsAt: found ? businessInstant(reservation!.visitDate, reservation!.slotStart).toISOString() : null,
          at: tx.now.toISOString(),
        };
        const verdict = decideCancellation(facts);
        const reason: Reason | undefined = verdict.decision === 'DENY' ? verdict.reason : undefined;
        if (verdict.decision === 'ALLOW') await this.repository.cancel(reservation!, tx.now, tx);
        return {
          decision: verdict.decision,
          reason,
          ruleSet: null,
          response: {
            decision: verdict.decision,
            ...(reason ? { reason } : {}),
            cancellationId,
            reservationId,
            ...(verdict.decision === 'ALLOW' ? { status: 'CANCELLED' as const } : {}),
          },
          subject: cardNo,
          details: { input, facts: { ...facts }, outcome: { decision: verdict.decision, reason: reason?.code ?? null }, rule: 'museums.cancellation' },
        };
      },
    );
  }
}
