import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { cardStatusRefusal, CardsFacade } from '@contexts/cards';
import { businessDateOf, parseInstant, type Reason, type RuleRef } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { LibraryCirculationRules, RuleBook } from '@onecard/rules';
import { libraryReason } from '../../domain/library-reasons.js';
import { decideLoan, type LoanFacts } from '../../domain/loan.rule.js';
import { CirculationRepository } from '../../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { loanOutcome, refusedOutcome } from '../circulation-outcomes.js';
import { LendItemCommand, type LoanAnswer } from './lend-item.command.js';

export const LOAN_COMMAND = 'libraries.loan';

/**
 * Lends an item at a desk (the desk's library is the terminal's venue), idempotent by loanId.
 * Reads: the card; the holder's patron row, locked so one holder's loans take turns (the limit
 * holds under concurrent desks); the item with its open loan and the holder's loan counts; rules
 * from memory. Two desks lending one item at once meet on the one-open-loan-per-item index: the
 * second insert waits for the first desk's transaction and, finding the loan, answers
 * ITEM_ALREADY_ON_LOAN.
 */
@CommandHandler(LendItemCommand)
export class LendItemHandler implements ICommandHandler<LendItemCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
    private readonly rules: RuleBook,
  ) {}

  async execute(command: LendItemCommand): Promise<CommandResult<LoanAnswer>> {
    const { loanId, cardNo, barcode, loanedAt, terminal } = command;
    const input = { loanId, cardNo, barcode, loanedAt };
    const at = parseInstant(loanedAt);
    const loanDate = businessDateOf(at);
    const deskLibrary = await this.libraries.find(terminal.venueId!);
    const desk = { libraryId: terminal.venueId!, region: deskLibrary?.region ?? terminal.region!, network: deskLibrary?.network ?? null };

    return this.executor.execute<LoanAnswer>(
      { type: LOAN_COMMAND, id: loanId, context: 'libraries', terminalId: terminal.terminalId, payload: input, eventTime: at },
      async (tx): Promise<CommandOutcome<LoanAnswer>> => {
        const answer = (over: Partial<LoanAnswer>): LoanAnswer => ({
          decision: 'DENY',
          loanId,
          cardNo,
          barcode,
          libraryId: desk.libraryId,
          dueDate: null,
          loansOutstanding: null,
          loanLimit: null,
          finesOutstandingFen: null,
          ruleSet: null,
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
            regions: [desk.region],
            details: { input, facts: { cardStatus: card?.status ?? null, desk }, outcome: refusedOutcome(reason.code), rule: 'cards.card-status' },
          };
        }

        const patron = await this.repository.lockPatron(tx, card.holder.holderId, tx.now);
        const found = await this.repository.loanFacts(tx, barcode, card.holder.holderId, loanDate);
        const item = found.item
          ? { barcode: found.item.barcode, libraryId: found.item.libraryId, network: found.item.network, region: found.item.region }
          : null;
        const itemRules = item ? this.rules.find(LibraryCirculationRules, item.region, at) : null;
        const deskRules = item && item.network !== desk.network ? this.rules.find(LibraryCirculationRules, desk.region, at) : null;
        const facts: LoanFacts = {
          loanDate,
          homeRegion: card.holder.homeRegion,
          desk,
          item,
          itemOnLoan: found.itemOnLoan,
          finesOutstandingFen: patron.finesOutstandingFen,
          openLoansInNetwork: found.openLoansInNetwork,
          overdueLoans: found.overdueLoans,
        };
        const ruleParams = { item: itemRules?.parameters ?? null, desk: deskRules?.parameters ?? null };
        let decision = decideLoan(facts, ruleParams);
        if (decision.ok) {
          const inserted = await this.repository.insertLoan(tx, {
            loanId,
            item: found.item!,
            deskLibraryId: desk.libraryId,
            terminalId: terminal.terminalId,
            cardNo,
            holderId: card.holder.holderId,
            homeRegion: card.holder.homeRegion,
            loanedAt: at,
            dueDate: decision.dueDate,
            ruleSet: itemRules!.ref,
          });
          // Another desk lent the item after we read it: decide again on what is now true.
          if (!inserted) {
            facts.itemOnLoan = true;
            decision = decideLoan(facts, ruleParams);
          }
        }
        const recordedFacts = { cardStatus: card.status, ...facts, rules: { item: itemRules?.ref ?? null, desk: deskRules?.ref ?? null } };
        const details = { input, facts: recordedFacts, outcome: loanOutcome(decision), rule: decision.rule };

        if (!decision.ok) {
          const reason: Reason = libraryReason(decision.code);
          const ruleSet: RuleRef | null = decision.decidedBy === 'item' ? itemRules!.ref : decision.decidedBy === 'desk' ? deskRules!.ref : null;
          return {
            decision: 'DENY',
            reason,
            ruleSet,
            response: answer({
              reason,
              ruleSet,
              loanLimit: decision.loanLimit,
              loansOutstanding: item ? found.openLoansInNetwork : null,
              finesOutstandingFen: patron.finesOutstandingFen,
            }),
            subject: cardNo,
            regions: [desk.region],
            details,
          };
        }

        return {
          decision: 'ALLOW',
          ruleSet: itemRules!.ref,
          response: answer({
            decision: 'ALLOW',
            dueDate: decision.dueDate,
            loanLimit: decision.loanLimit,
            loansOutstanding: found.openLoansInNetwork + 1,
            finesOutstandingFen: patron.finesOutstandingFen,
            ruleSet: itemRules!.ref,
          }),
          subject: cardNo,
          regions: [...new Set([desk.region, item!.region])],
          details,
        };
      },
    );
  }
}
