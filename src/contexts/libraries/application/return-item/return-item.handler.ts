import { CommandHandler } from '@nestjs/cqrs';
import { cardAccountCodes } from '@contexts/cards';
import { businessDateOf, parseInstant, type BusinessDate, type Reason, type Region } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandResult, type CommandTx } from '@onecard/engine';
import { LedgerReads, type Leg } from '@onecard/ledger';
import { LibraryCirculationRules, RuleBook } from '@onecard/rules';
import { overdueDays } from '../../domain/circulation.rule.js';
import { fineChargeLegs } from '../../domain/fine-accounts.js';
import { LIBRARIES_COMMANDS } from '../../domain/libraries-commands.js';
import { libraryReason } from '../../domain/library-reasons.js';
import { decideReturn, type ReturnFacts } from '../../domain/return.rule.js';
import { CirculationRepository, type ItemRow, type LoanHint, type ReturnLoanRow } from '../../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { LibraryLedgerAccounts } from '../../infrastructure/library-ledger-accounts.js';
import { cardKey, holderKey, itemKey, StalePlanError, withFreshPlan } from '../batch-keys.js';
import { refusedOutcome, returnOutcome } from '../circulation-outcomes.js';
import { ReturnItemCommand, type ReturnAnswer } from './return-item.command.js';

/** What a return read: the item (locked), its open loan (the holder's patron row locked) and, when a fine was foreseen, the card's bank balance (locked). */
interface ReturnReadFacts {
  item: ItemRow | null;
  loan: ReturnLoanRow | null;
  bank?: Map<string, number>;
}

type Desk = { libraryId: string; network: string | null };

/** The bank account of the card a loan was made with. */
const bankOf = (cardNo: string) => cardAccountCodes({ cardNo, transitApp: false, scheme: 'RESIDENT' }).bank;

/**
 * Takes an item back at a desk, idempotent by returnId. Refused only at a library of another
 * network whose item network takes no returns elsewhere; otherwise the book comes back whatever the
 * fine. An overdue fine is the item network's rule in force at the return (the loan's own version
 * if none is): charged from the loan's card's bank account as far as its balance goes, the rest
 * recorded as owed; both parts are the owning library's revenue in the ledger (ADR 0011).
 *
 * The item's open loan, looked up before the command runs, names whose the return is (its holder and
 * card are batch keys) and whether a fine is due (then the bank balance is read, locked, and the
 * library's fine accounts are opened beforehand). The reads lock the item, then the holder's patron
 * row, then the bank balance — the order a fine payment takes too; if they find another loan than
 * the one planned for, the return is planned again.
 */
@CommandHandler(ReturnItemCommand)
export class ReturnItemHandler extends PlannedCommandHandler<ReturnItemCommand, ReturnAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
    private readonly accounts: LibraryLedgerAccounts,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  override execute(command: ReturnItemCommand): Promise<CommandResult<ReturnAnswer>> {
    return withFreshPlan(() => super.execute(command));
  }

  protected async plan(c: ReturnItemCommand): Promise<CommandPlan<ReturnAnswer, any>> {
    const { returnId, barcode, returnedAt, terminal } = c;
    const at = parseInstant(returnedAt);
    const returnDate = businessDateOf(at);
    const [deskLibrary, planned] = await Promise.all([this.libraries.find(terminal.venueId!), this.repository.findOpenLoan(barcode)]);
    const desk: Desk = { libraryId: terminal.venueId!, network: deskLibrary?.network ?? null };
    const deskRegion = deskLibrary?.region ?? terminal.region!;
    const fineDue = planned !== null && overdueDays(planned.dueDate, returnDate) > 0;
    if (fineDue) await this.accounts.ensure([{ libraryId: planned.libraryId, region: planned.region }]);
    return {
      envelope: {
        type: LIBRARIES_COMMANDS.return,
        id: returnId,
        context: 'libraries',
        terminalId: terminal.terminalId,
        payload: { returnId, barcode, returnedAt },
        eventTime: at,
      },
      reads: {
        item: this.repository.itemRead(barcode),
        loan: this.repository.returnLoanRead(barcode),
        ...(fineDue ? { bank: LedgerReads.lockedBalances([bankOf(planned.cardNo)]) } : {}),
      },
      batchKeys: [itemKey(barcode), ...(planned ? [holderKey(planned.holderId), cardKey(planned.cardNo)] : [])],
      decide: (f: ReturnReadFacts, tx: CommandTx) => this.takeBack(tx, c, at, returnDate, desk, deskRegion, planned, f),
    };
  }

  /** The open loan, the network's return rule, then the fine and what the bank pays of it. */
  private takeBack(
    tx: CommandTx,
    c: ReturnItemCommand,
    at: Date,
    returnDate: BusinessDate,
    desk: Desk,
    deskRegion: Region,
    planned: LoanHint | null,
    f: ReturnReadFacts,
  ): CommandOutcome<ReturnAnswer> {
    const { returnId, barcode, returnedAt } = c;
    const input = { returnId, barcode, returnedAt };
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

    const loan = f.loan;
    if (!loan) {
      const itemExists = f.item !== null;
      const reason = libraryReason(itemExists ? 'ITEM_NOT_ON_LOAN' : 'ITEM_UNKNOWN');
      return {
        decision: 'DENY',
        reason,
        response: answer({ reason }),
        regions: [deskRegion],
        details: { input, facts: { desk, loan: null, itemExists }, outcome: refusedOutcome(reason.code), rule: 'libraries.open-loan' },
      };
    }
    if (loan.loanId !== planned?.loanId)
      throw new StalePlanError(`return ${returnId} was planned for loan ${planned?.loanId ?? '(none)'}, found ${loan.loanId}`);

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
    const bankAccount = loan.cardStatus ? bankOf(loan.cardNo) : null;
    if (decision.ok && decision.fineFen > 0) {
      // A due date only moves later, so a fine the plan did not foresee means another loan.
      if (!f.bank) throw new StalePlanError(`return ${returnId}: a fine was not foreseen for loan ${loan.loanId}`);
      const usable = loan.cardStatus === 'ACTIVE';
      facts = { ...base, cardUsable: usable, bankBalanceFen: usable && bankAccount ? (f.bank.get(bankAccount) ?? 0) : null };
      decision = decideReturn(facts, rules.parameters);
    }
    const details = { input, facts: { ...facts, rules: rules.ref }, outcome: returnOutcome(decision), rule: decision.rule };
    const loanPart = { loanId: loan.loanId, cardNo: loan.cardNo, owningLibraryId: loan.libraryId, dueDate: loan.dueDate };
    const regions = [...new Set([deskRegion, loan.region])];

    if (!decision.ok) {
      const reason: Reason = libraryReason(decision.code);
      return {
        decision: 'DENY',
        reason,
        ruleSet: rules.ref,
        response: answer({ reason, ruleSet: rules.ref, ...loanPart }),
        subject: loan.cardNo,
        regions,
        details,
      };
    }

    this.repository.closeLoan(tx, loan.loanId, {
      returnId,
      returnedAt: at,
      returnLibraryId: desk.libraryId,
      overdueDays: decision.overdueDays,
      fineFen: decision.fineFen,
    });
    let finesOutstandingFen: number | null = null;
    const transfers: Leg[] = [];
    if (decision.fineFen > 0) {
      this.repository.recordFine(tx, {
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
      });
      finesOutstandingFen = (loan.finesOutstandingFen ?? 0) + decision.outstandingFen;
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
      regions,
      details,
      // The bank balance was read under lock and the card is a batch key: only a command on the card
      // that is not keyed by it could move it meanwhile. The book still comes back: decide again.
      onLedgerRefusal: () => {
        throw new StalePlanError(`return ${returnId}: the bank balance of ${loan.cardNo} moved`);
      },
    };
  }
}
