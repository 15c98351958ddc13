import { CommandHandler } from '@nestjs/cqrs';
import { refuseUnusableCard } from '@contexts/cards';
import { businessDateOf, parseInstant, type Reason } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandResult, type CommandTx, type Read } from '@onecard/engine';
import { LibraryCirculationRules, RuleBook } from '@onecard/rules';
import { LIBRARIES_COMMANDS } from '../../domain/libraries-commands.js';
import { libraryReason } from '../../domain/library-reasons.js';
import { decideRenewal, type RenewalFacts } from '../../domain/renewal.rule.js';
import { CardHolders } from '../../infrastructure/card-holders.js';
import { CirculationRepository, type ItemRow, type RenewalRow } from '../../infrastructure/circulation.repository.js';
import { assertKeyedHolder, holderKey, itemKey, withFreshPlan } from '../batch-keys.js';
import { refusedOutcome, renewalOutcome } from '../circulation-outcomes.js';
import { RenewLoanCommand, type RenewalAnswer } from './renew-loan.command.js';

type RenewReads = { item: Read<ItemRow | null>; renewal: Read<RenewalRow> };

interface RenewFacts {
  item: ItemRow | null;
  renewal: RenewalRow;
}

/**
 * Renews a loan for its borrower (any card of the same holder), idempotent by renewalId, with the
 * item network's rules in force at the renewal (the loan's own version if none is). The item row is
 * locked before its open loan is read, so two renewals racing for the last allowed one give one
 * renewal, and a racing return leaves nothing to renew.
 */
@CommandHandler(RenewLoanCommand)
export class RenewLoanHandler extends PlannedCommandHandler<RenewLoanCommand, RenewalAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CirculationRepository,
    private readonly holders: CardHolders,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  override execute(command: RenewLoanCommand): Promise<CommandResult<RenewalAnswer>> {
    return withFreshPlan(() => super.execute(command));
  }

  protected async plan(c: RenewLoanCommand): Promise<CommandPlan<RenewalAnswer, RenewReads>> {
    const { renewalId, cardNo, barcode, renewedAt, terminal } = c;
    const at = parseInstant(renewedAt);
    const holderId = await this.holders.holderOf(cardNo);
    return {
      envelope: {
        type: LIBRARIES_COMMANDS.renewal,
        id: renewalId,
        context: 'libraries',
        terminalId: terminal.terminalId,
        payload: { renewalId, cardNo, barcode, renewedAt },
        eventTime: at,
      },
      reads: { item: this.repository.itemRead(barcode), renewal: this.repository.renewalRead(cardNo, barcode) },
      batchKeys: [itemKey(barcode), ...(holderId ? [holderKey(holderId)] : [])],
      decide: (f, tx) => this.renew(tx, c, at, holderId, f),
    };
  }

  /** The card usable, the item on loan to its holder, then the network's renewal rule. */
  private renew(tx: CommandTx, c: RenewLoanCommand, at: Date, plannedHolder: string | null, f: RenewFacts): CommandOutcome<RenewalAnswer> {
    const { renewalId, cardNo, barcode, renewedAt, terminal } = c;
    const input = { renewalId, cardNo, barcode, renewedAt };
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

    const { card, loan } = f.renewal;
    const refused = refuseUnusableCard(card, {
      subject: cardNo,
      answer: (reason) => answer({ reason }),
      details: (reason) => ({ input, facts: { cardStatus: card?.status ?? null }, outcome: refusedOutcome(reason.code), rule: 'cards.card-status' }),
    });
    if (refused || !card) return refused!;
    assertKeyedHolder(plannedHolder, card.holderId);

    if (!loan) {
      const itemExists = f.item !== null;
      return refuse(
        libraryReason(itemExists ? 'ITEM_NOT_ON_LOAN' : 'ITEM_UNKNOWN'),
        { cardStatus: card.status, loan: null, itemExists },
        'libraries.open-loan',
      );
    }

    const rules = this.rules.find(LibraryCirculationRules, loan.region, at) ?? this.rules.byRef(LibraryCirculationRules, loan.ruleSet);
    const facts: RenewalFacts = {
      renewalDate: businessDateOf(at),
      loan: { network: loan.network, homeRegion: loan.homeRegion, dueDate: loan.dueDate, renewals: loan.renewals },
      sameHolder: loan.holderId === card.holderId,
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

    this.repository.renewLoan(tx, {
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
  }
}
