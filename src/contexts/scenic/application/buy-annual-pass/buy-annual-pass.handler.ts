import { cardAccountCodes, CardsFacade, refuseUnusableCard, type CardView } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Facts, type Read } from '@onecard/engine';
import { businessDateOf, REGIONS, type Reason } from '@onecard/kernel';
import { LedgerReads } from '@onecard/ledger';
import { RuleBook, ScenicAdmissionRules, type RuleSet, type ScenicAdmissionParameters } from '@onecard/rules';
import { passRevenueAccount, sellingRegion } from '../../domain/annual-pass.rule.js';
import { SCENIC_COMMANDS } from '../../domain/scenic-commands.js';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import { BuyAnnualPassCommand, type AnnualPassAnswer } from './buy-annual-pass.command.js';
import { decidePassPurchase, type RecordedPassSaleFacts } from './pass-sale-outcome.js';

/** What a sale reads, in this order: the locks first, then the card and the passes its holder holds once they are held. */
type SaleReads = {
  /** The card's bank balance, locked. */
  balance: Read<Map<string, number>>;
  /** The holder's lock for this pass code. */
  holderLock: Read<void>;
  card: Read<CardView | null>;
  /** `validUntil` of the holder's passes of this code. */
  held: Read<string[]>;
};

/**
 * Sells an annual pass (北京公园年票, 京津冀联名年票) to a card's holder, idempotent by purchaseId.
 * The product and its price come from the admission rules of the region that sells it, in force
 * today; the pass is valid from today to the rules' end date (31 January next year), belongs to
 * the holder (a replacement card keeps it), and is paid from the card's bank account into the
 * selling region's pass revenue account through the ledger, the balance read under lock.
 */
@CommandHandler(BuyAnnualPassCommand)
export class BuyAnnualPassHandler extends PlannedCommandHandler<BuyAnnualPassCommand, AnnualPassAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: ScenicRepository,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(c: BuyAnnualPassCommand): CommandPlan<AnnualPassAnswer, SaleReads> {
    const { purchaseId, cardNo, passCode, region, via } = c;
    const reads: SaleReads = {
      balance: LedgerReads.lockedBalances([cardAccountCodes({ cardNo, transitApp: false, scheme: 'RESIDENT' }).bank]),
      holderLock: this.repository.passHolderLockRead(cardNo, passCode),
      card: this.cards.cardRead(cardNo),
      held: this.repository.heldPassesRead(cardNo, passCode),
    };
    return {
      envelope: {
        type: SCENIC_COMMANDS.buyAnnualPass,
        id: purchaseId,
        context: 'scenic',
        terminalId: 'terminalId' in via ? via.terminalId : null,
        actor: 'actor' in via ? via.actor : null,
        payload: { cardNo, passCode, region },
      },
      reads,
      // The card's bank balance and, through the card, its holder's passes: a holder has one card it
      // can pay with, and the holder lock covers a sale on another of their cards in another batch.
      batchKeys: [`card:${cardNo}`],
      decide: (f, tx) => this.sell(tx, c, f),
    };
  }

  /** The card usable, a region selling the pass today, not held as long already, the price covered. */
  private sell(tx: CommandTx, c: BuyAnnualPassCommand, f: Facts<SaleReads>): CommandOutcome<AnnualPassAnswer> {
    const { purchaseId, cardNo, passCode, region: requested, via } = c;
    const input = { cardNo, passCode, region: requested };
    const facts: RecordedPassSaleFacts = { cardStatus: f.card?.status ?? null };
    let selling: RuleSet<ScenicAdmissionParameters> | null = null;
    let region: AnnualPassAnswer['region'] = null;
    const answer = (reason: Reason | undefined, extra: Partial<AnnualPassAnswer> = {}): AnnualPassAnswer => ({
      decision: reason ? 'DENY' : 'ALLOW',
      ...(reason ? { reason } : {}),
      purchaseId,
      cardNo,
      passCode,
      region,
      ...extra,
      ruleSet: selling?.ref ?? null,
    });

    const refused = refuseUnusableCard(f.card, {
      subject: cardNo,
      answer: (reason) => answer(reason),
      details: () => ({ input, facts: { ...facts }, outcome: { ...decidePassPurchase(null, passCode, facts).outcome }, rule: 'cards.card-status' }),
    });
    if (refused) return refused;
    const card = f.card!;

    // The decision comes from the recorded facts, as the replayer computes it.
    const finish = (extra: { balanceFen?: number } = {}): CommandOutcome<AnnualPassAnswer> => {
      const decided = decidePassPurchase(selling?.parameters ?? null, passCode, facts);
      const o = decided.outcome;
      const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
      const allowed = o.decision === 'ALLOW';
      return {
        decision: o.decision,
        reason,
        ruleSet: selling?.ref ?? null,
        response: answer(reason, {
          ...(allowed ? { passId: purchaseId, priceFen: o.priceFen!, validFrom: o.validFrom!, validUntil: o.validUntil! } : {}),
          ...(extra.balanceFen !== undefined ? { balanceFen: extra.balanceFen } : {}),
        }),
        subject: cardNo,
        regions: region ? [region] : [],
        transfers: allowed && o.priceFen! > 0 ? [{ from: card.accounts.bank, to: passRevenueAccount(region!, passCode), amount: o.priceFen! }] : [],
        details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
      };
    };

    const offers = REGIONS.flatMap((r) => {
      const set = this.rules.find(ScenicAdmissionRules, r, tx.now);
      return set ? [{ region: r, parameters: set.parameters, set }] : [];
    });
    region = sellingRegion(offers, passCode, requested, card.issuingRegion);
    selling = offers.find((o) => o.region === region)?.set ?? (requested ? (offers.find((o) => o.region === requested)?.set ?? null) : null);
    facts.sellingRegion = region;
    facts.purchaseDate = businessDateOf(tx.now);
    if (!region) return finish();

    facts.heldValidUntil = f.held;
    const product = selling!.parameters.annualPasses.find((a) => a.code === passCode)!;
    let balance: number | undefined;
    if (product.priceFen > 0) {
      balance = f.balance.get(card.accounts.bank) ?? 0;
      facts.bankBalanceFen = balance;
    }
    const decided = finish(balance !== undefined ? { balanceFen: balance } : {});
    if (decided.decision === 'DENY') return decided;

    const o = decided.details!.outcome as { priceFen: number; validFrom: string; validUntil: string };
    if (o.priceFen > 0) {
      tx.ledger.openAccounts([{ code: passRevenueAccount(region, passCode), region, kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 4 }]);
    }
    this.repository.deferPass(tx, {
      passId: purchaseId,
      holderId: card.holder.holderId,
      cardNo,
      passCode,
      soldRegion: region,
      validFrom: o.validFrom,
      validUntil: o.validUntil,
      priceFen: o.priceFen,
      purchasedAt: tx.now,
      terminalId: 'terminalId' in via ? via.terminalId : null,
      actor: 'actor' in via ? via.actor : null,
      ruleSet: selling!.ref,
    });
    const paid = finish(balance !== undefined ? { balanceFen: balance - o.priceFen } : {});
    paid.onLedgerRefusal = (refusal) => {
      facts.bankBalanceFen = refusal.balance;
      return finish({ balanceFen: refusal.balance });
    };
    return paid;
  }
}
