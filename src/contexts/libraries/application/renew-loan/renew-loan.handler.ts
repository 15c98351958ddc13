import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cardStatusRefusal, CardsFacade } from '@contexts/cards';
import { businessDateOf, parseInstant, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { LibraryCirculationRules, RuleBook } from '@onecard/rules';
import { libraryReason } from '../../domain/library-reasons.js';
import { decideRenewal, type RenewalFacts } from '../../domain/renewal.rule.js';
import { CirculationRepository } from '../../infrastructure/circulation.repository.js';
import { refusedOutcome, renewalOutcome } from '../circulation-outcomes.js';
import { RenewLoanCommand, type RenewalAnswer } from './renew-loan.command.js';

export const RENEWAL_COMMAND = 'libraries.renewal';

/**
 * Renews a loan for its borrower (any card of the same holder), idempotent by renewalId, with the
 * item network's rules in force at the renewal (the loan's own version if none is). The open loan
 * is locked, so two renewals racing for the last allowed one give one renewal.
 */
@CommandHandler(RenewLoanCommand)
export class RenewLoanHandler implements ICommandHandler<RenewLoanCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: CirculationRepository,
    private readonly rules: RuleBook,
  ) {}

  async execute(command: RenewLoanCommand): Promise<CommandResult<RenewalAnswer>> {
    const { renewalId, cardNo, barcode, renewedAt, terminal } = command;
    const input = { renewalId, cardNo, barcode, renewedAt };
    const at = parseInstant(renewedAt);
    const renewalDate = businessDateOf(at);

    return this.executor.execute<RenewalAnswer>(
      { type: RENEWAL_COMMAND, id: renewalId, context: 'libraries', terminalId: terminal.terminalId, payload: input, eventTime: at },
      async (tx): Promise<CommandOutcome<RenewalAnswer>> => {
        const answer = (over: Partial<RenewalAnswer>): RenewalAnswer => ({
          decision: 'DENY',
          renewalId,
          cardNo,
          barcode,
          loanId: null,
          dueDate: null,
          previousDueDate: null,
          renewalsUsed: null,
          renewalsAllowed: null,
          ruleSet: null,
          ...over,
        });
        const refuse = (reason: Reason, facts: Record<string, unknown>, rule: string): CommandOutcome<RenewalAnswer> => ({
          decision: 'DENY',
          reason,
          response: answer({ reason }),
          subject: cardNo,
          details: { input, facts, outcome: refusedOutcome(reason.code), rule },
        });

        const card = await this.cards.findCard(cardNo, tx);
        const cardRefusal = cardStatusRefusal(card);
        if (!card || cardRefusal) return refuse(cardRefusal!, { cardStatus: card?.status ?? null }, 'cards.card-status');

        const loan = await this.repository.lockOpenLoan(tx, barcode);
        if (!loan) {
          const itemExists = await this.repository.itemExists(tx, barcode);
          return refuse(
            libraryReason(itemExists ? 'ITEM_NOT_ON_LOAN' : 'ITEM_UNKNOWN'),
            { cardStatus: card.status, loan: null, itemExists },
            'libraries.open-loan',
          );
        }

        const rules = this.rules.find(LibraryCirculationRules, loan.region, at) ?? this.rules.byRef(LibraryCirculationRules, loan.ruleSet);
        const facts: RenewalFacts = {
          renewalDate,
          loan: { network: loan.network, homeRegion: loan.homeRegion, dueDate: loan.dueDate, renewals: loan.renewals },
          sameHolder: loan.holderId === card.holder.holderId,
        };
        const decision = decideRenewal(facts, rules.parameters);
        const details = { input, facts: { cardStatus: card.status, ...facts, rules: rules.ref }, outcome: renewalOutcome(decision), rule: decision.rule };

        if (!decision.ok) {
          const reason = libraryReason(decision.code);
          // Another holder's loan: say nothing about it beyond the refusal.
          const loanPart = decision.code === 'LOAN_OF_ANOTHER_HOLDER' ? {} : { loanId: loan.loanId, dueDate: loan.dueDate, renewalsUsed: loan.renewals };
          return {
            decision: 'DENY',
            reason,
            ruleSet: rules.ref,
            response: answer({ reason, ruleSet: rules.ref, renewalsAllowed: decision.renewalsAllowed, ...loanPart }),
            subject: cardNo,
            regions: [loan.region],
            details,
          };
        }

        await this.repository.renewLoan(tx, {
          renewalId,
          loanId: loan.loanId,
          cardNo,
          terminalId: terminal.terminalId,
          renewedAt: at,
          previousDueDate: loan.dueDate,
          dueDate: decision.dueDate,
          ruleSet: rules.ref,
        });
        return {
          decision: 'ALLOW',
          ruleSet: rules.ref,
          response: answer({
            decision: 'ALLOW',
            loanId: loan.loanId,
            dueDate: decision.dueDate,
            previousDueDate: loan.dueDate,
            renewalsUsed: decision.renewalsUsed,
            renewalsAllowed: decision.renewalsAllowed,
            ruleSet: rules.ref,
          }),
          subject: cardNo,
          regions: [loan.region],
          details,
        };
      },
    );
  }
}
