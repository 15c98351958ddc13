import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CardsFacade } from '@contexts/cards';
import { businessDateOf, parseInstant, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { type Leg } from '@onecard/ledger';
import { LibraryCirculationRules, RuleBook } from '@onecard/rules';
import { fineChargeLegs, libraryFinesReceivableAccount, libraryRevenueAccount } from '../../domain/fine-accounts.js';
import { libraryReason } from '../../domain/library-reasons.js';
import { decideReturn, type ReturnFacts } from '../../domain/return.rule.js';
import { CirculationRepository } from '../../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { refusedOutcome, returnOutcome } from '../circulation-outcomes.js';
import { ReturnItemCommand, type ReturnAnswer } from './return-item.command.js';

export const RETURN_COMMAND = 'libraries.return';

/**
 * Takes an item back at a desk, idempotent by returnId. The open loan is locked (a racing return
 * or renewal of it waits, then finds it changed). Refused only at a library of another network
 * whose item network takes no returns elsewhere; otherwise the book comes back whatever the fine.
 * An overdue fine is the item network's rule in force at the return (the loan's own version if
 * none is): charged from the loan's card's bank account as far as its balance goes (read under
 * lock), the rest recorded as owed; both parts are the owning library's revenue in the ledger
 * (ADR 0011).
 */
@CommandHandler(ReturnItemCommand)
export class ReturnItemHandler implements ICommandHandler<ReturnItemCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
    private readonly rules: RuleBook,
  ) {}

  async execute(command: ReturnItemCommand): Promise<CommandResult<ReturnAnswer>> {
    const { returnId, barcode, returnedAt, terminal } = command;
    const input = { returnId, barcode, returnedAt };
    const at = parseInstant(returnedAt);
    const returnDate = businessDateOf(at);
    const deskLibrary = await this.libraries.find(terminal.venueId!);
    const desk = { libraryId: terminal.venueId!, network: deskLibrary?.network ?? null };
    const deskRegion = deskLibrary?.region ?? terminal.region!;

    return this.executor.execute<ReturnAnswer>(
      { type: RETURN_COMMAND, id: returnId, context: 'libraries', terminalId: terminal.terminalId, payload: input, eventTime: at },
      async (tx): Promise<CommandOutcome<ReturnAnswer>> => {
        const answer = (over: Partial<ReturnAnswer>): ReturnAnswer => ({
          decision: 'DENY',
          returnId,
          barcode,
          libraryId: desk.libraryId,
          loanId: null,
          cardNo: null,
          owningLibraryId: null,
          dueDate: null,
          overdueDays: null,
          fineFen: null,
          fineChargedFen: null,
          fineOutstandingFen: null,
          finesOutstandingFen: null,
          ruleSet: null,
          ...over,
        });

        const loan = await this.repository.lockOpenLoan(tx, barcode);
        if (!loan) {
          const itemExists = await this.repository.itemExists(tx, barcode);
          const reason = libraryReason(itemExists ? 'ITEM_NOT_ON_LOAN' : 'ITEM_UNKNOWN');
          return {
            decision: 'DENY',
            reason,
            response: answer({ reason }),
            regions: [deskRegion],
            details: { input, facts: { desk, loan: null, itemExists }, outcome: refusedOutcome(reason.code), rule: 'libraries.open-loan' },
          };
        }

        // The item network's rules (its region is the loan's), or the loan's own version when none is in force.
        const rules = this.rules.find(LibraryCirculationRules, loan.region, at) ?? this.rules.byRef(LibraryCirculationRules, loan.ruleSet);
        const base: ReturnFacts = {
          returnDate,
          loan: { loanId: loan.loanId, network: loan.network, homeRegion: loan.homeRegion, dueDate: loan.dueDate },
          itemNetwork: loan.network,
          desk,
          cardUsable: false,
          bankBalanceFen: null,
        };
        let facts = base;
        let decision = decideReturn(base, rules.parameters);
        let bankAccount: string | null = null;
        if (decision.ok && decision.fineFen > 0) {
          // Only now is the card's money needed: lock the holder (fines) before the bank balance,
          // the order a fine payment takes too.
          const card = await this.cards.findCard(loan.cardNo, tx);
          await this.repository.lockPatron(tx, loan.holderId, tx.now);
          const usable = card?.status === 'ACTIVE';
          bankAccount = card?.accounts.bank ?? null;
          const balance = usable && bankAccount ? ((await tx.ledger.balances([bankAccount], { lock: true })).get(bankAccount) ?? 0) : null;
          facts = { ...base, cardUsable: usable, bankBalanceFen: balance };
          decision = decideReturn(facts, rules.parameters);
        }
        const details = { input, facts: { ...facts, rules: rules.ref }, outcome: returnOutcome(decision), rule: decision.rule };
        const loanPart = { loanId: loan.loanId, cardNo: loan.cardNo, owningLibraryId: loan.libraryId, dueDate: loan.dueDate };

        if (!decision.ok) {
          const reason: Reason = libraryReason(decision.code);
          return {
            decision: 'DENY',
            reason,
            ruleSet: rules.ref,
            response: answer({ reason, ruleSet: rules.ref, ...loanPart }),
            subject: loan.cardNo,
            regions: [...new Set([deskRegion, loan.region])],
            details,
          };
        }

        await this.repository.closeLoan(tx, loan.loanId, {
          returnId,
          returnedAt: at,
          returnLibraryId: desk.libraryId,
          overdueDays: decision.overdueDays,
          fineFen: decision.fineFen,
        });
        let finesOutstandingFen: number | null = null;
        const transfers: Leg[] = [];
        if (decision.fineFen > 0) {
          ({ finesOutstandingFen } = await this.repository.recordFine(tx, {
            fineId: returnId,
            loanId: loan.loanId,
            holderId: loan.holderId,
            cardNo: loan.cardNo,
            libraryId: loan.libraryId,
            region: loan.region,
            overdueDays: decision.overdueDays,
            finePerDayFen: decision.finePerDayPerItemFen,
            amountFen: decision.fineFen,
            chargedFen: decision.chargedFen,
            chargedAt: at,
            ruleSet: rules.ref,
          }));
          await tx.ledger.openAccounts([libraryRevenueAccount(loan.libraryId, loan.region), libraryFinesReceivableAccount(loan.libraryId, loan.region)]);
          transfers.push(...fineChargeLegs(bankAccount, loan.libraryId, loan.region, decision.chargedFen, decision.outstandingFen));
        }
        return {
          decision: 'ALLOW',
          ruleSet: rules.ref,
          response: answer({
            decision: 'ALLOW',
            ...loanPart,
            overdueDays: decision.overdueDays,
            fineFen: decision.fineFen,
            fineChargedFen: decision.chargedFen,
            fineOutstandingFen: decision.outstandingFen,
            finesOutstandingFen,
            ruleSet: rules.ref,
          }),
          transfers,
          subject: loan.cardNo,
          regions: [...new Set([deskRegion, loan.region])],
          details,
        };
      },
    );
  }
}
