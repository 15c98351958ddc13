import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Facts } from '@onecard/engine';
import { businessInstant, Problems, type Reason } from '@onecard/kernel';
import { decideCancellation, type CancellationFacts } from '../../domain/cancellation.rule.js';
import { MUSEUMS_COMMANDS } from '../../domain/museums-commands.js';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { CancelReservationCommand, type CancellationAnswer } from './cancel-reservation.command.js';

type CancellationReads = { found: ReturnType<MuseumsRepository['reservationForCardRead']> };

/**
 * Cancels a reservation for its holder, idempotent by cancellationId, and gives the seat back.
 * The card only identifies the holder here (any of their cards, whatever its status: cancelling is
 * harmless); a reservation of someone else is answered as unknown. A museum's own terminal may
 * cancel only that museum's reservations (403 otherwise).
 */
@CommandHandler(CancelReservationCommand)
export class CancelReservationHandler extends PlannedCommandHandler<CancelReservationCommand, CancellationAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: MuseumsRepository,
  ) {
    super(executor);
  }

  protected async plan(c: CancelReservationCommand): Promise<CommandPlan<CancellationAnswer, CancellationReads>> {
    const { cancellationId, reservationId, cardNo, terminal } = c;
    // A reservation's museum and slot never change: the terminal's right to it is checked before it runs.
    const place = await this.repository.findReservationPlace(reservationId);
    if (place) this.checkTerminal(c, place.museumId);
    return {
      envelope: { type: MUSEUMS_COMMANDS.cancel, id: cancellationId, context: 'museums', terminalId: terminal.terminalId, payload: { reservationId, cardNo } },
      reads: { found: this.repository.reservationForCardRead(reservationId, cardNo) },
      // The reservation (two cancellations of it never share a batch), its slot (the seat given
      // back) and the card (as every command of a card).
      batchKeys: [
        ...(place ? [`museums.slot:${place.museumId}:${place.visitDate}:${place.slotStart}`] : []),
        `museums.reservation:${reservationId}`,
        `card:${cardNo}`,
      ],
      decide: (f, tx) => this.cancel(tx, c, f),
    };
  }

  /** The reservation the card's holder's, still booked, its slot not started. */
  private cancel(tx: CommandTx, c: CancelReservationCommand, f: Facts<CancellationReads>): CommandOutcome<CancellationAnswer> {
    const { cancellationId, reservationId, cardNo } = c;
    const input = { reservationId, cardNo };
    const reservation = f.found?.reservation ?? null;
    // Booked after this command was planned: its museum is checked now.
    if (reservation) this.checkTerminal(c, reservation.museumId);
    const found = !!reservation && f.found!.cardHolderId === reservation.holderId;
    const facts: CancellationFacts = {
      found,
      status: found ? reservation!.status : null,
      slotStartsAt: found ? businessInstant(reservation!.visitDate, reservation!.slotStart).toISOString() : null,
      at: tx.now.toISOString(),
    };
    const verdict = decideCancellation(facts);
    const reason: Reason | undefined = verdict.decision === 'DENY' ? verdict.reason : undefined;
    if (verdict.decision === 'ALLOW') this.repository.deferCancel(tx, reservationId, tx.now);
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
  }

  private checkTerminal(c: CancelReservationCommand, museumId: string): void {
    const { terminal } = c;
    if (terminal.kind !== 'HOLDER_APP' && terminal.venueId !== museumId) {
      throw Problems.forbidden(`Terminal ${terminal.terminalId} stands at ${terminal.venueId ?? 'no venue'}, not at ${museumId}.`);
    }
  }
}
