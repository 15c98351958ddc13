import { CardsFacade, cardStatusRefusal } from '@contexts/cards';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { businessDateOf, REGIONS, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { RuleBook, ScenicAdmissionRules, type RuleSet, type ScenicAdmissionParameters } from '@onecard/rules';
import { passRevenueAccount, sellingRegion } from '../../domain/annual-pass.rule.js';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import { BuyAnnualPassCommand, type AnnualPassAnswer } from './buy-annual-pass.command.js';
import { decidePassPurchase, type RecordedPassSaleFacts } from './pass-sale-outcome.js';

export const SCENIC_BUY_ANNUAL_PASS = 'scenic.buy-annual-pass';

/**
 * Sells an annual pass (北京公园年票, 京津冀联名年票) to a card's holder, idempotent by purchaseId.
 * The product and its price come from the admission rules of the region that sells it, in force
 * today; the pass is valid from today to the rules' end date (31 January next year), belongs to
 * the holder (a replacement card keeps it), and is paid from the card's bank account into the
 * selling region's pass revenue account through the ledger, the balance read under lock.
 */
@CommandHandler(BuyAnnualPassCommand)
export class BuyAnnualPassHandler implements ICommandHandler<BuyAnnualPassCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: ScenicRepository,
    private readonly rules: RuleBook,
  ) {}

  execute(command: BuyAnnualPassCommand): Promise<CommandResult<AnnualPassAnswer>> {
    const { purchaseId, cardNo, passCode, region: requested, via } = command;
    const terminalId = 'terminalId' in via ? via.terminalId : null;
    const actor = 'actor' in via ? via.actor : null;
    const input = { cardNo, passCode, region: requested };
    return this.executor.execute<AnnualPassAnswer>(
      { type: SCENIC_BUY_ANNUAL_PASS, id: purchaseId, context: 'scenic', terminalId, actor, payload: input },
      async (tx): Promise<CommandOutcome<AnnualPassAnswer>> => {
        const card = await this.cards.findCard(cardNo, tx);
        const facts: RecordedPassSaleFacts = { cardStatus: card?.status ?? null };
        let selling: RuleSet<ScenicAdmissionParameters> | null = null;
        let region: AnnualPassAnswer['region'] = null;

        const finish = (extra: { balanceFen?: number } = {}): CommandOutcome<AnnualPassAnswer> => {
          const decided = decidePassPurchase(selling?.parameters ?? null, passCode, facts);
          const o = decided.outcome;
          const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
          const ruleSet = selling?.ref ?? null;
          const allowed = o.decision === 'ALLOW';
          const response: AnnualPassAnswer = {
            decision: o.decision,
            ...(reason ? { reason } : {}),
            purchaseId,
            cardNo,
            passCode,
            region,
            ...(allowed ? { passId: purchaseId, priceFen: o.priceFen!, validFrom: o.validFrom!, validUntil: o.validUntil! } : {}),
            ...(extra.balanceFen !== undefined ? { balanceFen: extra.balanceFen } : {}),
            ruleSet,
          };
          return {
            decision: o.decision,
            reason,
            ruleSet,
            response,
            subject: cardNo,
            regions: region ? [region] : [],
            transfers: allowed && o.priceFen! > 0 ? [{ from: card!.accounts.bank, to: passRevenueAccount(region!, passCode), amount: o.priceFen! }] : [],
            details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
          };
        };

        if (!card || cardStatusRefusal(card)) return finish();
        const offers = REGIONS.flatMap((r) => {
          const set = this.rules.find(ScenicAdmissionRules, r, tx.now);
          return set ? [{ region: r, parameters: set.parameters, set }] : [];
        });
        region = sellingRegion(offers, passCode, requested, card.issuingRegion);
        selling = offers.find((o) => o.region === region)?.set ?? (requested ? (offers.find((o) => o.region === requested)?.set ?? null) : null);
        facts.sellingRegion = region;
        facts.purchaseDate = businessDateOf(tx.now);
        if (!region) return finish();

        facts.heldValidUntil = await this.repository.lockHeldPasses(card.holder.holderId, passCode, tx);
        const product = selling!.parameters.annualPasses.find((a) => a.code === passCode)!;
        let balance: number | undefined;
        if (product.priceFen > 0) {
          balance = (await tx.ledger.balances([card.accounts.bank], { lock: true })).get(card.accounts.bank) ?? 0;
          facts.bankBalanceFen = balance;
        }
        const outcome = finish(balance !== undefined ? { balanceFen: balance } : {});
        if (outcome.decision === 'DENY') return outcome;

        const o = outcome.details!.outcome as { priceFen: number; validFrom: string; validUntil: string };
        if (o.priceFen > 0) {
          await tx.ledger.openAccounts([{ code: passRevenueAccount(region, passCode), region, kind: 'REVENUE', balanceRule: 'UNBOUNDED', shards: 4 }]);
        }
        await this.repository.insertPass(
          {
            passId: purchaseId,
            holderId: card.holder.holderId,
            cardNo,
            passCode,
            soldRegion: region,
            validFrom: o.validFrom,
            validUntil: o.validUntil,
            priceFen: o.priceFen,
            purchasedAt: tx.now,
            terminalId,
            actor,
            ruleSet: selling!.ref,
          },
          tx,
        );
        const paid = finish(balance !== undefined ? { balanceFen: balance - o.priceFen } : {});
        paid.onLedgerRefusal = (refusal) => {
          facts.bankBalanceFen = refusal.balance;
          return finish({ balanceFen: refusal.balance });
        };
        return paid;
      },
    );
  }
}
