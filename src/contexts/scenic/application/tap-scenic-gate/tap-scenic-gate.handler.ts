import { cardAccountCodes, CardsFacade, cardStatusRefusal } from '@contexts/cards';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ageOn, businessDateOf, newId, type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { LedgerReads } from '@onecard/ledger';
import { RuleBook, ScenicAdmissionRules } from '@onecard/rules';
import { priceAdmission } from '../../domain/admission.rule.js';
import { spotRevenueAccount } from '../../domain/spot.js';
import { ScenicRepository } from '../../infrastructure/scenic.repository.js';
import { decideScenicTap, type RecordedTapFacts } from './tap-outcome.js';
import { TapScenicGateCommand, type ScenicTapAnswer } from './tap-scenic-gate.command.js';

export const SCENIC_TAP = 'scenic.tap';

/**
 * A tap at a scenic spot's gate (一卡畅游), idempotent by tapId. The spot region's admission rules
 * in force on the visit date price the entry (re-entry, annual pass, senior band by age on the
 * visit date, base price); a priced entry is paid from the card's bank account to the spot's
 * revenue account through the ledger, with the balance read under lock; an entry takes a place of
 * the day's capacity counted on the spot-day row, read under lock, so the last place goes to
 * exactly one tap.
 * Round trips: the executor's two (ADR 0003 "Throughput"). The card with its holder's scenic state,
 * the bank balance locked and the day's places locked are declared reads that travel with BEGIN;
 * the place and the visit are deferred writes that go with the commit. Taps of different cards at
 * different spots (or days) may commit together: the keys are the card and the spot-day.
 */
@CommandHandler(TapScenicGateCommand)
export class TapScenicGateHandler implements ICommandHandler<TapScenicGateCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: ScenicRepository,
    private readonly rules: RuleBook,
  ) {}

  execute(command: TapScenicGateCommand): Promise<CommandResult<ScenicTapAnswer>> {
    const { tapId, cardNo, tappedAt, spotId, spotRegion, terminalId } = command;
    const at = new Date(tappedAt);
    const visitDate = businessDateOf(at);
    const input = { cardNo, spotId, spotRegion, tappedAt };
    // Declared reads, sent in this order: the bank balance locked (every card has its bank
    // account), then the day's places locked, then the card with its holder's scenic state, read
    // once the locks are held (so a tap of the same card that held them is seen).
    const bank = cardAccountCodes({ cardNo, transitApp: false, scheme: 'RESIDENT' }).bank;
    const reads = {
      balance: lockedBalancesQuery([bank]),
      places: this.repository.placesTakenQuery(spotId, visitDate),
      state: this.repository.tapStateQuery(this.cards.findCardQuery(cardNo), spotId, visitDate),
    };
    // Everything a tap reads and changes is the card's (its bank balance), the holder's (first
    // entry, passes), the spot-day's (its places) or commutes (spot revenue). Two taps of one spot
    // and day never share a batch: the count each read would not include the other's place.
    // Two cards of one holder racing to a first entry meet on the first-entry index (the batch
    // falls back and the loser is retried as a re-entry).
    const batchKeys = [`card:${cardNo}`, `scenic.spot-day:${spotId}:${visitDate}`];
    return this.executor.execute<ScenicTapAnswer>(
      { type: SCENIC_TAP, id: tapId, context: 'scenic', terminalId, payload: { cardNo, spotId, tappedAt }, eventTime: at },
      async (tx): Promise<CommandOutcome<ScenicTapAnswer>> => {
        const ruleSet = this.rules.find(ScenicAdmissionRules, spotRegion, at);
        const ref = ruleSet?.ref ?? null;
        const base = { tapId, spotId, visitDate, ruleSet: ref };

        const { card, view } = await tx.prefetched(reads.state);
        const facts: RecordedTapFacts = { cardStatus: card?.status ?? null };
        const finish = (
          extra: { visitId?: string; balanceFen?: number; transfers?: CommandOutcome<ScenicTapAnswer>['transfers'] } = {},
        ): CommandOutcome<ScenicTapAnswer> => {
          const decided = decideScenicTap(ruleSet?.parameters ?? null, facts);
          const o = decided.outcome;
          const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
          const response: ScenicTapAnswer = {
            decision: o.decision,
            ...(reason ? { reason } : {}),
            ...base,
            visitId: o.decision === 'ALLOW' ? extra.visitId! : null,
            ...(o.entry ? { entry: o.entry } : {}),
            priceFen: o.priceFen,
            ...(o.concession ? { concession: o.concession } : {}),
            ...(extra.balanceFen !== undefined ? { balanceFen: extra.balanceFen } : {}),
          };
          return {
            decision: o.decision,
            reason,
            ruleSet: ref,
            response,
            subject: cardNo,
            regions: [spotRegion],
            transfers: o.decision === 'ALLOW' ? extra.transfers : [],
            details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
          };
        };

        if (!card || !view || cardStatusRefusal(card) || !ruleSet) return finish();
        Object.assign(facts, { spot: view.spot, age: ageOn(card.holder.birthDate, visitDate), visitDate, passes: view.passes, firstEntry: view.firstEntry });
        const spot = view.spot;
        if (!spot) return finish();

        const price = priceAdmission(ruleSet.parameters, { spot, age: facts.age!, visitDate, passes: view.passes, firstEntry: view.firstEntry });
        let balance: number | undefined;
        if (price.priceFen > 0) {
          if (card.accounts.bank !== bank) throw new Error(`${cardNo}: unexpected bank account ${card.accounts.bank}`);
          balance = (await tx.prefetched(reads.balance)).get(bank) ?? 0;
          facts.bankBalanceFen = balance;
          if (balance < price.priceFen) return finish({ balanceFen: balance });
        }

        const visitId = newId();
        const visit = {
          visitId,
          tapId,
          spotId,
          visitDate,
          entryKind: view.firstEntry ? ('REENTRY' as const) : ('ENTRY' as const),
          cardNo,
          holderId: card.holder.holderId,
          terminalId,
          tappedAt: at,
          basePriceFen: spot.basePriceFen,
          priceFen: price.priceFen,
          concessionKind: price.concession?.kind ?? null,
          concessionCode: price.concession?.code ?? null,
          passId: price.passId,
          firstVisitId: view.firstEntry?.visitId ?? null,
          ruleSet: ruleSet.ref,
        };
        if (price.takesCapacity) {
          const placesTaken = await tx.prefetched(reads.places);
          facts.capacityFull = (placesTaken ?? 0) >= spot.dailyCapacity;
          if (facts.capacityFull) return finish(balance !== undefined ? { balanceFen: balance } : {});
          this.repository.deferAdmission(tx, visit, placesTaken);
        } else {
          this.repository.deferVisit(tx, visit);
        }

        if (price.priceFen === 0) return finish({ visitId });
        const outcome = finish({
          visitId,
          balanceFen: balance! - price.priceFen,
          transfers: [{ from: card.accounts.bank, to: spotRevenueAccount(spotId), amount: price.priceFen }],
        });
        // The balance was read under lock, so the ledger should never refuse; if it does, the
        // whole transaction (the place and the visit too) is void and the DENY is journaled.
        outcome.onLedgerRefusal = (refusal) => {
          facts.bankBalanceFen = refusal.balance;
          return finish({ balanceFen: refusal.balance });
        };
        return outcome;
      },
      { prefetch: [reads.balance, reads.places, reads.state], batchKeys },
    );
  }
}
