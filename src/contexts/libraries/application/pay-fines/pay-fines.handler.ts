import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cardStatusRefusal, CardsFacade } from '@contexts/cards';
import { parseInstant, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { finePaymentLegs } from '../../domain/fine-accounts.js';
import { decideFinePayment, type FinePaymentFacts } from '../../domain/fine-payment.rule.js';
import { libraryReason } from '../../domain/library-reasons.js';
import { CirculationRepository } from '../../infrastructure/circulation.repository.js';
import { finePaymentOutcome, refusedOutcome } from '../circulation-outcomes.js';
import { PayFinesCommand, type FinePaymentAnswer } from './pay-fines.command.js';

export const FINE_PAYMENT_COMMAND = 'libraries.fine-payment';

/**
 * Pays a holder's unpaid fines from the presented card's bank account (any card of the holder),
 * idempotent by paymentId: the holder's fines are locked, then the bank balance; oldest fines are
 * paid first, each library's share moving into its fines receivable (ADR 0011). Paying fines
 * below the threshold unblocks borrowing at once.
 */
@CommandHandler(PayFinesCommand)
export class PayFinesHandler implements ICommandHandler<PayFinesCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: CirculationRepository,
  ) {}

  async execute(command: PayFinesCommand): Promise<CommandResult<FinePaymentAnswer>> {
    const { paymentId, cardNo, amountFen, paidAt, terminal } = command;
    const input = { paymentId, cardNo, amountFen, paidAt };
    const at = parseInstant(paidAt);

    return this.executor.execute<FinePaymentAnswer>(
      { type: FINE_PAYMENT_COMMAND, id: paymentId, context: 'libraries', terminalId: terminal.terminalId, payload: input, eventTime: at },
      async (tx): Promise<CommandOutcome<FinePaymentAnswer>> => {
        const answer = (over: Partial<FinePaymentAnswer>): FinePaymentAnswer => ({
          decision: 'DENY',
          paymentId,
          cardNo,
          amountFen: amountFen ?? 0,
          finesOutstandingFen: null,
          balanceFen: null,
          ...over,
        });

        const card = await this.cards.findCard(cardNo, tx);
        const cardRefusal = cardStatusRefusal(card);
        if (!card || cardRefusal) {
          const reason = cardRefusal!;
          return {
            decision: 'DENY',
            reason,
            response: answer({ reason }),
            subject: cardNo,
            details: { input, facts: { cardStatus: card?.status ?? null }, outcome: refusedOutcome(reason.code), rule: 'cards.card-status' },
          };
        }

        const fines = await this.repository.lockOutstandingFines(tx, card.holder.holderId);
        const bank = card.accounts.bank;
        const balance = (await tx.ledger.balances([bank], { lock: true })).get(bank) ?? 0;
        const facts: FinePaymentFacts = {
          fines: fines.map(({ fineId, libraryId, outstandingFen }) => ({ fineId, libraryId, outstandingFen })),
          requestedFen: amountFen,
          bankBalanceFen: balance,
        };
        const decision = decideFinePayment(facts);
        const outstanding = facts.fines.reduce((s, f) => s + f.outstandingFen, 0);
        const details = { input, facts: { cardStatus: card.status, ...facts }, outcome: finePaymentOutcome(decision), rule: decision.rule };

        if (!decision.ok) {
          const reason: Reason = libraryReason(decision.code);
          return {
            decision: 'DENY',
            reason,
            response: answer({ reason, amountFen: decision.amountFen, finesOutstandingFen: outstanding, balanceFen: balance }),
            subject: cardNo,
            details,
          };
        }

        const { finesOutstandingFen } = await this.repository.recordPayment(tx, {
          paymentId,
          holderId: card.holder.holderId,
          cardNo,
          terminalId: terminal.terminalId,
          amountFen: decision.amountFen,
          paidAt: at,
          allocations: decision.allocations,
        });
        return {
          decision: 'ALLOW',
          response: answer({ decision: 'ALLOW', amountFen: decision.amountFen, finesOutstandingFen, balanceFen: balance - decision.amountFen }),
          transfers: finePaymentLegs(bank, decision.allocations),
          subject: cardNo,
          regions: [...new Set(fines.map((f) => f.region))],
          details,
        };
      },
    );
  }
}
