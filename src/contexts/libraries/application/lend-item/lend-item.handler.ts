import { CommandHandler } from '@nestjs/cqrs';
import { refuseUnusableCard } from '@contexts/cards';
import { businessDateOf, parseInstant, type Reason, type Region, type RuleRef } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandResult, type CommandTx, type Read } from '@onecard/engine';
import { LibraryCirculationRules, RuleBook } from '@onecard/rules';
import { LIBRARIES_COMMANDS } from '../../domain/libraries-commands.js';
import { libraryReason } from '../../domain/library-reasons.js';
import { decideLoan, type LoanFacts } from '../../domain/loan.rule.js';
import { CardHolders } from '../../infrastructure/card-holders.js';
import { CirculationRepository, type HolderLoans, type ItemRow, type PatronFacts } from '../../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../../infrastructure/library-directory.js';
import { assertKeyedHolder, holderKey, itemKey, withFreshPlan } from '../batch-keys.js';
import { loanOutcome, refusedOutcome } from '../circulation-outcomes.js';
import { LendItemCommand, type LoanAnswer } from './lend-item.command.js';

type LendReads = { item: Read<ItemRow | null>; patron: Read<PatronFacts | null>; loans: Read<HolderLoans> };

interface LendFacts {
  item: ItemRow | null;
  patron: PatronFacts | null;
  loans: HolderLoans;
}

type Desk = { libraryId: string; region: Region; network: string | null };

/**
 * Lends an item at a desk (the desk's library is the terminal's venue), idempotent by loanId. It
 * reads the item (its row locked, so two desks lending one item at once take turns: the second
 * finds it on loan, ITEM_ALREADY_ON_LOAN), the card with its holder's patron row (locked, so one
 * holder's loans take turns and the limit holds under concurrent desks), then whether the item is
 * on loan and the holder's loan counts; rules from memory. Loans of different items and holders
 * commit together.
 */
@CommandHandler(LendItemCommand)
export class LendItemHandler extends PlannedCommandHandler<LendItemCommand, LoanAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CirculationRepository,
    private readonly libraries: LibraryDirectory,
    private readonly holders: CardHolders,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  override execute(command: LendItemCommand): Promise<CommandResult<LoanAnswer>> {
    return withFreshPlan(() => super.execute(command));
  }

  protected async plan(c: LendItemCommand): Promise<CommandPlan<LoanAnswer, LendReads>> {
    const { loanId, cardNo, barcode, loanedAt, terminal } = c;
    const at = parseInstant(loanedAt);
    const [deskLibrary, holderId] = await Promise.all([this.libraries.find(terminal.venueId!), this.holders.holderOf(cardNo)]);
    const desk: Desk = { libraryId: terminal.venueId!, region: deskLibrary?.region ?? terminal.region!, network: deskLibrary?.network ?? null };
    return {
      envelope: {
        type: LIBRARIES_COMMANDS.loan,
        id: loanId,
        context: 'libraries',
        terminalId: terminal.terminalId,
        payload: { loanId, cardNo, barcode, loanedAt },
        eventTime: at,
      },
      reads: {
        item: this.repository.itemRead(barcode),
        patron: this.repository.patronRead(cardNo),
        loans: this.repository.holderLoansRead(cardNo, barcode, businessDateOf(at)),
      },
      batchKeys: [itemKey(barcode), ...(holderId ? [holderKey(holderId)] : [])],
      decide: (f, tx) => this.lend(tx, c, at, desk, holderId, f),
    };
  }

  /** The card usable, then the loan rule of the item's network for the holder's home region. */
  private lend(tx: CommandTx, c: LendItemCommand, at: Date, desk: Desk, plannedHolder: string | null, f: LendFacts): CommandOutcome<LoanAnswer> {
    const { loanId, cardNo, barcode, loanedAt, terminal } = c;
    const input = { loanId, cardNo, barcode, loanedAt };
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

    const card = f.patron?.card ?? null;
    const refused = refuseUnusableCard(card, {
      subject: cardNo,
      regions: [desk.region],
      answer: (reason) => answer({ reason }),
      details: (reason) => ({ input, facts: { cardStatus: card?.status ?? null, desk }, outcome: refusedOutcome(reason.code), rule: 'cards.card-status' }),
    });
    if (refused || !card || !f.patron) return refused!;
    assertKeyedHolder(plannedHolder, card.holderId);

    const item = f.item ? { barcode: f.item.barcode, libraryId: f.item.libraryId, network: f.item.network, region: f.item.region } : null;
    const itemRules = item ? this.rules.find(LibraryCirculationRules, item.region, at) : null;
    const deskRules = item && item.network !== desk.network ? this.rules.find(LibraryCirculationRules, desk.region, at) : null;
    const finesOutstandingFen = f.patron.finesOutstandingFen;
    const facts: LoanFacts = {
      loanDate: businessDateOf(at),
      homeRegion: card.homeRegion,
      desk,
      item,
      itemOnLoan: f.loans.itemOnLoan,
      finesOutstandingFen,
      openLoansInNetwork: f.loans.openLoansInNetwork,
      overdueLoans: f.loans.overdueLoans,
    };
    const decision = decideLoan(facts, { item: itemRules?.parameters ?? null, desk: deskRules?.parameters ?? null });
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
          loansOutstanding: item ? facts.openLoansInNetwork : null,
          finesOutstandingFen,
        }),
        subject: cardNo,
        regions: [desk.region],
        details,
      };
    }

    this.repository.insertLoan(tx, {
      loanId,
      item: f.item!,
      deskLibraryId: desk.libraryId,
      terminalId: terminal.terminalId,
      cardNo,
      holderId: card.holderId,
      homeRegion: card.homeRegion,
      loanedAt: at,
      dueDate: decision.dueDate,
      ruleSet: itemRules!.ref,
    });
    if (!f.patron.patron) this.repository.insertPatron(tx, card.holderId, tx.now);
    return {
      decision: 'ALLOW',
      ruleSet: itemRules!.ref,
      response: answer({
        decision: 'ALLOW',
        dueDate: decision.dueDate,
        loanLimit: decision.loanLimit,
        loansOutstanding: facts.openLoansInNetwork + 1,
        finesOutstandingFen,
        ruleSet: itemRules!.ref,
      }),
      subject: cardNo,
      regions: [...new Set([desk.region, item!.region])],
      details,
    };
  }
}
