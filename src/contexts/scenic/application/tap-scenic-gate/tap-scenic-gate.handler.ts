import { cardAccountCodes, CardsFacade, refuseUnusableCard, type CardView } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Facts, type Read } from '@onecard/engine';
import { ageOn, businessDateOf, newId, type BusinessDate, type Reason, type RuleRef } from '@onecard/kernel';
import { LedgerReads } from '@onecard/ledger';
import { RuleBook, ScenicAdmissionRules } from '@onecard/rules';
import { priceAdmission } from '../../domain/admission.rule.js';
import { SCENIC_COMMANDS } from '../../domain/scenic-commands.js';
import { spotRevenueAccount } from '../../domain/spot.js';
import { ScenicRepository, type TapView } from '../../infrastructure/scenic.repository.js';
import { decideScenicTap, deniedTap, type RecordedTapFacts } from './tap-outcome.js';
import { TapScenicGateCommand, type ScenicTapAnswer } from './tap-scenic-gate.command.js';

/** What a tap reads, in this order: the locks first, then the card and its holder's scenic state as they stand once the locks are held. */
type TapReads = {
  /** The card's bank balance, locked (every card has its bank account). */
  balance: Read<Map<string, number>>;
  /** The places taken at the spot that day, the counter row locked. */
  places: Read<number | null>;
  card: Read<CardView | null>;
  state: Read<TapView | null>;
};

/**
 * A tap at a scenic spot's gate (一卡畅游), idempotent by tapId. The spot region's admission rules
 * in force on the visit date price the entry (re-entry, annual pass, senior band by age on the
 * visit date, base price); a priced entry is paid from the card's bank account to the spot's
 * revenue account through the ledger, with the balance read under lock; an entry takes a place of
 * the day's capacity counted on the spot-day row, read under lock, so the last place goes to
 * exactly one tap.
 */
@CommandHandler(TapScenicGateCommand)
export class TapScenicGateHandler extends PlannedCommandHandler<TapScenicGateCommand, ScenicTapAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: ScenicRepository,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(c: TapScenicGateCommand): CommandPlan<ScenicTapAnswer, TapReads> {
    const { tapId, cardNo, tappedAt, spotId, terminalId } = c;
    const at = new Date(tappedAt);
    const visitDate = businessDateOf(at);
    const bank = cardAccountCodes({ cardNo, transitApp: false, scheme: 'RESIDENT' }).bank;
    const reads: TapReads = {
      balance: LedgerReads.lockedBalances([bank]),
      places: this.repository.placesTakenRead(spotId, visitDate),
      card: this.cards.cardRead(cardNo),
      state: this.repository.tapStateRead(cardNo, spotId, visitDate),
    };
    return {
      envelope: { type: SCENIC_COMMANDS.tap, id: tapId, context: 'scenic', terminalId, payload: { cardNo, spotId, tappedAt }, eventTime: at },
      reads,
      // Everything a tap reads and changes is the card's (its bank balance), the spot-day's (its
      // places, and so the first entry of each holder there that day) or commutes (spot revenue).
      // Two taps of one spot and day never share a batch: the count each read would not include
      // the other's place.
      batchKeys: [`card:${cardNo}`, `scenic.spot-day:${spotId}:${visitDate}`],
      decide: (f, tx) => this.admit(tx, c, visitDate, bank, f),
    };
  }

  /** The card usable, the spot configured, the price covered and a place left (unless the entry takes none). */
  private admit(tx: CommandTx, c: TapScenicGateCommand, visitDate: BusinessDate, bank: string, f: Facts<TapReads>): CommandOutcome<ScenicTapAnswer> {
    const { tapId, cardNo, tappedAt, spotId, spotRegion, terminalId } = c;
    const at = new Date(tappedAt);
    const ruleSet = this.rules.find(ScenicAdmissionRules, spotRegion, at);
    const ref = ruleSet?.ref ?? null;
    const input = { cardNo, spotId, spotRegion, tappedAt };
    const facts: RecordedTapFacts = { cardStatus: f.card?.status ?? null };
    const base = { tapId, spotId, visitDate, ruleSet: ref };

    const refused = refuseUnusableCard<ScenicTapAnswer>(f.card, {
      subject: cardNo,
      regions: [spotRegion],
      ruleSet: ref,
      answer: (reason) => ({ decision: 'DENY', reason, ...base, visitId: null, priceFen: null }),
      details: (reason) => ({ input, facts: { ...facts }, outcome: { ...deniedTap(reason.code) }, rule: 'cards.card-status' }),
    });
    if (refused) return refused;

    // The decision comes from the recorded facts, as the replayer computes it.
    const finish = (extra: { visitId?: string; balanceFen?: number; transfers?: CommandOutcome<ScenicTapAnswer>['transfers'] } = {}) =>
      this.outcome(c, base, input, facts, decideScenicTap(ruleSet?.parameters ?? null, facts), extra);
    if (!ruleSet) return finish();
    const card = f.card!;
    // The card read found the card, so the holder's read (a later statement) did too.
    const view = f.state;
    if (!view) throw new Error(`${SCENIC_COMMANDS.tap} ${tapId}: card ${cardNo} found without its holder`);
    Object.assign(facts, { spot: view.spot, age: ageOn(card.holder.birthDate, visitDate), visitDate, passes: view.passes, firstEntry: view.firstEntry });
    const spot = view.spot;
    if (!spot) return finish();

    const price = priceAdmission(ruleSet.parameters, { spot, age: facts.age!, visitDate, passes: view.passes, firstEntry: view.firstEntry });
    let balance: number | undefined;
    if (price.priceFen > 0) {
      if (card.accounts.bank !== bank) throw new Error(`${cardNo}: unexpected bank account ${card.accounts.bank}`);
      balance = f.balance.get(bank) ?? 0;
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
      facts.capacityFull = (f.places ?? 0) >= spot.dailyCapacity;
      if (facts.capacityFull) return finish(balance !== undefined ? { balanceFen: balance } : {});
      this.repository.deferAdmission(tx, visit, f.places);
    } else {
      this.repository.deferVisit(tx, visit);
    }

    if (price.priceFen === 0) return finish({ visitId });
    const outcome = finish({
      visitId,
      balanceFen: balance! - price.priceFen,
      transfers: [{ from: card.accounts.bank, to: spotRevenueAccount(spotId), amount: price.priceFen }],
    });
    // The balance was read under lock, so the ledger should never refuse; if it does, the place
    // and the visit are void with the transfer and the DENY is journaled instead.
    outcome.onLedgerRefusal = (refusal) => {
      facts.bankBalanceFen = refusal.balance;
      return finish({ balanceFen: refusal.balance });
    };
    return outcome;
  }

  /** The engine's outcome of a decision: the answer, the money and the journaled details. */
  private outcome(
    c: TapScenicGateCommand,
    base: { tapId: string; spotId: string; visitDate: BusinessDate; ruleSet: RuleRef | null },
    input: Record<string, unknown>,
    facts: RecordedTapFacts,
    decided: ReturnType<typeof decideScenicTap>,
    extra: { visitId?: string; balanceFen?: number; transfers?: CommandOutcome<ScenicTapAnswer>['transfers'] },
  ): CommandOutcome<ScenicTapAnswer> {
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
      ruleSet: base.ruleSet,
      response,
      subject: c.cardNo,
      regions: [c.spotRegion],
      transfers: o.decision === 'ALLOW' ? extra.transfers : [],
      details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
    };
  }
}
