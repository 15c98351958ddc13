import { CardsFacade, cardStatusRefusal } from '@contexts/cards';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { businessDateOf, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { MuseumBookingRules, RuleBook } from '@onecard/rules';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { decideEntry, type RecordedEntryFacts } from './entry-outcome.js';
import { TapMuseumGateCommand, type MuseumTapAnswer } from './tap-museum-gate.command.js';

export const MUSEUMS_TAP = 'museums.tap';

/**
 * A card at a museum gate, idempotent by tapId: admits the holder with a reservation whose entry
 * window (from `earlyEntryMinutes` before the slot until it ends, rule data) is open at tappedAt,
 * and marks it used. Entry is free, so no money moves; every decision is journaled. The holder's
 * reservations of the day are locked, so two taps never use one reservation twice.
 */
@CommandHandler(TapMuseumGateCommand)
export class TapMuseumGateHandler implements ICommandHandler<TapMuseumGateCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: MuseumsRepository,
    private readonly rules: RuleBook,
  ) {}

  execute(command: TapMuseumGateCommand): Promise<CommandResult<MuseumTapAnswer>> {
    const { tapId, cardNo, tappedAt, museumId, museumRegion, terminalId } = command;
    const at = new Date(tappedAt);
    const visitDate = businessDateOf(at);
    const input = { cardNo, museumId, museumRegion, tappedAt };
    return this.executor.execute<MuseumTapAnswer>(
      { type: MUSEUMS_TAP, id: tapId, context: 'museums', terminalId, payload: { cardNo, museumId, tappedAt }, eventTime: at },
      async (tx): Promise<CommandOutcome<MuseumTapAnswer>> => {
        const ruleSet = this.rules.find(MuseumBookingRules, museumRegion, at);
        const ref = ruleSet?.ref ?? null;
        const card = await this.cards.findCard(cardNo, tx);
        const facts: RecordedEntryFacts = { cardStatus: card?.status ?? null };
        if (card && !cardStatusRefusal(card) && ruleSet) {
          facts.visitDate = visitDate;
          facts.tappedAt = tappedAt;
          facts.reservations = await this.repository.dayReservations(card.holder.holderId, museumId, visitDate, tx);
        }
        const decided = decideEntry(ruleSet?.parameters ?? null, museumId, facts);
        const o = decided.outcome;
        if (o.decision === 'ALLOW') await this.repository.admit(o.reservationId!, tapId, at, tx);
        const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
        return {
          decision: o.decision,
          reason,
          ruleSet: ref,
          response: {
            decision: o.decision,
            ...(reason ? { reason } : {}),
            tapId,
            museumId,
            visitDate,
            reservationId: o.reservationId,
            slot: o.slot,
            ruleSet: ref,
          },
          subject: cardNo,
          regions: [museumRegion],
          details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
        };
      },
    );
  }
}
