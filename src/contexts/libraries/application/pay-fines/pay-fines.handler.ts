import { CommandHandler } from '@nestjs/cqrs';
import { cardAccountCodes, refuseUnusableCard } from '@contexts/cards';
import { parseInstant, type Reason } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandResult, type CommandTx, type Read } from '@onecard/engine';
import { LedgerReads } from '@onecard/ledger';
import { finePaymentLegs } from '../../domain/fine-accounts.js';
import { decideFinePayment, type FinePaymentFacts } from '../../domain/fine-payment.rule.js';
import { LIBRARIES_COMMANDS } from '../../domain/libraries-commands.js';
import { libraryReason } from '../../domain/library-reasons.js';
import { CardHolders } from '../../infrastructure/card-holders.js';
import { CirculationRepository, type OutstandingFineRow, type PatronFacts } from '../../infrastructure/circulation.repository.js';
import { assertKeyedHolder, cardKey, holderKey, withFreshPlan } from '../batch-keys.js';
import { finePaymentOutcome, refusedOutcome } from '../circulation-outcomes.js';
import { PayFinesCommand, type FinePaymentAnswer } from './pay-fines.command.js';

type PayReads = { patron: Read<PatronFacts | null>; fines: Read<OutstandingFineRow[]>; balances: Read<Map<string, number>> };

interface PayFacts {
  patron: PatronFacts | null;
  fines: OutstandingFineRow[];
  balances: Map<string, number>;
}

/**
 * Pays a holder's unpaid fines from the presented card's bank account (any card of the holder),
 * idempotent by paymentId: the holder's patron row is locked, then their unpaid fines, then the bank
 * balance (the order a return with a fine takes too); oldest fines are paid first, each library's
 * share moving into its fines receivable (ADR 0011). Paying fines below the threshold unblocks
 * borrowing at once. Payments of different holders commit together.
 */
@CommandHandler(PayFinesCommand)
export class PayFinesHandler extends PlannedCommandHandler<PayFinesCommand, FinePaymentAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CirculationRepository,
    private readonly holders: CardHolders,
  ) {
    super(executor);
  }

  override execute(command: PayFinesCommand): Promise<CommandResult<FinePaymentAnswer>> {
    return withFreshPlan(() => super.execute(command));
  }

  protected async plan(c: PayFinesCommand): Promise<CommandPlan<FinePaymentAnswer, PayReads>> {
    const { paymentId, cardNo, amountFen, paidAt, terminal } = c;
    const at = parseInstant(paidAt);
    const holderId = await this.holders.holderOf(cardNo);
    const bank = cardAccountCodes({ cardNo, transitApp: false, scheme: 'RESIDENT' }).bank;
    return {
      envelope: {
        type: LIBRARIES_COMMANDS.finePayment,
        id: paymentId,
        context: 'libraries',
        terminalId: terminal.terminalId,
        payload: { paymentId, cardNo, amountFen, paidAt },
        eventTime: at,
      },
      reads: {
        patron: this.repository.patronRead(cardNo),
        fines: this.repository.outstandingFinesRead(cardNo),
        balances: LedgerReads.lockedBalances([bank]),
      },
      batchKeys: [...(holderId ? [holderKey(holderId)] : []), cardKey(cardNo)],
      decide: (f, tx) => this.pay(tx, c, at, bank, holderId, f),
    };
  }

  /** The card usable, then the amount against what is owed and what the bank holds. */
  private pay(tx: CommandTx, c: PayFinesCommand, at: Date, bank: string, plannedHolder: string | null, f: PayFacts): CommandOutcome<FinePaymentAnswer> {
    const { paymentId, cardNo, amountFen, paidAt, terminal } = c;
    const input = { paymentId, cardNo, amountFen, paidAt };
    const answer = (over: Partial<FinePaymentAnswer>): FinePaymentAnswer => ({
      decision: 'DENY',
      paymentId,
      cardNo,
      amountFen: amountFen ?? 0,
      finesOutstandingFen: null,
      balanceFen: null,
      ...over,
    });

    const card = f.patron?.card ?? null;
    const refused = refuseUnusableCard(card, {
      subject: cardNo,
      answer: (reason) => answer({ reason }),
      details: (reason) => ({ input, facts: { cardStatus: card?.status ?? null }, outcome: refusedOutcome(reason.code), rule: 'cards.card-status' }),
    });
    if (refused || !card || !f.patron) return refused!;
    assertKeyedHolder(plannedHolder, card.holderId);

    // The decision on a bank balance: the one read under lock, or the one the ledger found at commit.
    const decideOn = (bankBalanceFen: number) => {
      const facts: FinePaymentFacts = {
        fines: f.fines.map(({ fineId, libraryId, outstandingFen }) => ({ fineId, libraryId, outstandingFen })),
        requestedFen: amountFen,
        bankBalanceFen,
      };
      const decision = decideFinePayment(facts);
      return { decision, details: { input, facts: { cardStatus: card.status, ...facts }, outcome: finePaymentOutcome(decision), rule: decision.rule } };
    };
    const outstanding = f.fines.reduce((s, x) => s + x.outstandingFen, 0);
    const deny = (bankBalanceFen: number): CommandOutcome<FinePaymentAnswer> => {
      const { decision, details } = decideOn(bankBalanceFen);
      if (decision.ok) throw new Error(`fine payment ${paymentId}: no refusal on a balance of ${bankBalanceFen}`);
      const reason: Reason = libraryReason(decision.code);
      return {
        decision: 'DENY',
        reason,
        response: answer({ reason, amountFen: decision.amountFen, finesOutstandingFen: outstanding, balanceFen: bankBalanceFen }),
        subject: cardNo,
        details,
      };
    };

    const balance = f.balances.get(bank) ?? 0;
    const { decision, details } = decideOn(balance);
    if (!decision.ok) return deny(balance);

    this.repository.recordPayment(tx, {
      paymentId,
      holderId: card.holderId,
      cardNo,
      terminalId: terminal.terminalId,
      amountFen: decision.amountFen,
      paidAt: at,
      allocations: decision.allocations,
    });
    return {
      decision: 'ALLOW',
      response: answer({
        decision: 'ALLOW',
        amountFen: decision.amountFen,
        finesOutstandingFen: f.patron.finesOutstandingFen - decision.amountFen,
        balanceFen: balance - decision.amountFen,
      }),
      transfers: finePaymentLegs(bank, decision.allocations),
      subject: cardNo,
      regions: [...new Set(f.fines.map((x) => x.region))],
      details,
      // The balance was read under lock with the card as a batch key; should the ledger still refuse, it is a DENY.
      onLedgerRefusal: (refusal) => deny(refusal.balance),
    };
  }
}
