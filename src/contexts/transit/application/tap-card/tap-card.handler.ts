import { cardAccountCodes, CardsFacade, cardStatusRefusal, type CardView } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, commandKey, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Read } from '@onecard/engine';
import { businessDateOf, newId, type Reason, type Region } from '@onecard/kernel';
import { LedgerReads } from '@onecard/ledger';
import { RuleBook, TransitNetworkRules, type RuleSet, type TransitNetworkParameters } from '@onecard/rules';
import { RAIL_REVENUE_ACCOUNT } from '../../domain/accounts.js';
import { isInService, stationOf } from '../../domain/network.js';
import type { TapInFacts, TapOutFacts } from '../../domain/tap-facts.js';
import { cardProductRefusal, decideTapIn, decideTapOut } from '../../domain/tap.rule.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { NETWORK_REGION } from '../../infrastructure/timetable-cache.js';
import { TransitRepository, type TapInState, type TapOutState } from '../../infrastructure/transit.repository.js';
import { toCardFacts } from '../card-facts.js';
import { TapCardCommand, type TapAnswer } from './tap-card.command.js';
import { tapInOutcome, tapOutOutcome } from './tap-outcome.js';

const MINUTE_MS = 60_000;

/** What a tap reads, declared in its plan (sent with BEGIN for the whole batch; ADR 0012). */
type TapReads<S> = {
  card: Read<CardView | null>;
  wallet: Read<Map<string, number>>;
  state: Read<S>;
};

/** What the reads answered. */
interface TapFacts<S> {
  card: CardView | null;
  wallet: Map<string, number>;
  state: S;
}

/**
 * A gate tap (ADR 0008), idempotent per tapId, decided as of `tappedAt` under the rule version in
 * force then. The card's transit wallet row is locked before anything about the card is read, so
 * one card's taps run one at a time: the same card at two entry gates at one instant opens one
 * journey, and racing exits charge once. Every decision is journaled with the facts it read.
 */
@CommandHandler(TapCardCommand)
export class TapCardHandler extends PlannedCommandHandler<TapCardCommand, TapAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(c: TapCardCommand): CommandPlan<TapAnswer, any> {
    const payload = { cardNo: c.cardNo, gateId: c.gate.terminalId, tappedAt: c.tappedAt.toISOString() };
    const envelope = { type: TRANSIT_COMMANDS.tap, id: c.tapId, context: 'transit', terminalId: c.gate.terminalId, payload, eventTime: c.tappedAt };
    const network = this.rules.find(TransitNetworkRules, NETWORK_REGION, c.tappedAt);
    if (!network) return { envelope, decide: () => this.notInForce(c) };
    // The card, its wallet locked (one card's taps run one at a time) and the transit state.
    const p = network.parameters;
    const card = this.cards.cardRead(c.cardNo);
    const wallet = LedgerReads.lockedBalances([cardAccountCodes({ cardNo: c.cardNo, transitApp: true, scheme: 'RESIDENT' }).transit!]);
    const q = { cardNo: c.cardNo, gateId: c.gate.terminalId, tappedAt: c.tappedAt, duplicateWindowMs: p.duplicateTapWindowSeconds * 1000 };
    // Everything a tap reads and changes is the card's (its wallet, journeys, slips, pending exits)
    // or commutes (rail revenue): taps of different cards may commit together.
    const batchKeys = [`card:${c.cardNo}`];
    if (c.gate.direction === 'IN') {
      const reads: TapReads<TapInState> = {
        card,
        wallet,
        state: this.repository.tapInStateQuery({ ...q, pendingWindowMs: p.missingTapOut.unresolvedAfterMinutes * MINUTE_MS }),
      };
      return { envelope, reads, batchKeys, decide: (f: TapFacts<TapInState>, tx: CommandTx) => this.tapIn(tx, c, network, f) };
    }
    const reads: TapReads<TapOutState> = { card, wallet, state: this.repository.tapOutStateQuery(q) };
    return { envelope, reads, batchKeys, decide: (f: TapFacts<TapOutState>, tx: CommandTx) => this.tapOut(tx, c, network, f) };
  }

  private input(c: TapCardCommand): Record<string, unknown> {
    return {
      tapId: c.tapId,
      cardNo: c.cardNo,
      gateId: c.gate.terminalId,
      station: c.gate.station,
      direction: c.gate.direction,
      tappedAt: c.tappedAt.toISOString(),
    };
  }

  /** An entry: the card may ride, holds a slip for a train leaving soon, and its wallet covers the fare to that train's terminus. */
  private tapIn(tx: CommandTx, c: TapCardCommand, network: RuleSet<TransitNetworkParameters>, read: TapFacts<TapInState>): CommandOutcome<TapAnswer> {
    const { tappedAt, cardNo } = c;
    const station = c.gate.station;
    const p = network.parameters;
    const card = read.card;
    const statusRefusal = cardStatusRefusal(card);
    let facts: TapInFacts = { card: toCardFacts(card), station, previousTapAtGate: null, openJourney: null, slips: [], balanceFen: null, pendingExit: null };
    const wallet = card?.accounts.transit ?? null;
    // Only a card that could ride needs its state read (and its wallet locked).
    if (card && wallet && !statusRefusal && !cardProductRefusal(p, facts.card!) && isInService(p, station)) {
      facts = { ...facts, ...read.state, balanceFen: read.wallet.get(wallet) ?? 0 };
    }
    const d = decideTapIn(p, { tappedAt, cardStatusRefusal: statusRefusal }, facts);
    const common = { ruleSet: network.ref, subject: cardNo, regions: regionsOf(stationOf(p, station)?.region) };
    const details = { input: this.input(c), facts, outcome: tapInOutcome(d), rule: d.rule };
    if (d.decision === 'DENY') {
      return {
        ...common,
        decision: 'DENY',
        reason: d.reason,
        details,
        response: answer('IN', d.reason, facts.openJourney?.journeyId ?? null, 0, facts.balanceFen),
      };
    }
    const journeyId = newId();
    const completion = d.completion;
    const chargedFen = completion?.fare.fareFen ?? 0;
    const exitAt = completion ? new Date(completion.exit.tappedAt) : null;
    this.repository.openJourney(
      tx,
      {
        journeyId,
        cardNo,
        entryStation: station,
        entryGate: c.gate.terminalId,
        entryTapId: c.tapId,
        entryAt: tappedAt,
        entryDate: businessDateOf(tappedAt),
        ruleSet: network.ref,
        reservationId: d.slip?.reservationId ?? null,
        trainNo: d.slip?.trainNo ?? null,
        terminus: d.terminus,
        requiredFen: d.requiredFen,
      },
      completion && exitAt
        ? {
            status: 'CLOSED',
            exitStation: completion.exit.station,
            exitGate: completion.exit.gateId,
            exitTapId: completion.exit.tapId,
            exitAt,
            fareFen: chargedFen,
            chargedFen,
            closedBy: 'TAP',
            closedCommand: commandKey(TRANSIT_COMMANDS.tap, c.tapId),
            closedDate: businessDateOf(exitAt),
            pendingExitTapId: completion.exit.tapId,
          }
        : null,
    );
    return {
      ...common,
      decision: 'ALLOW',
      details,
      transfers: chargedFen > 0 ? [{ from: wallet!, to: RAIL_REVENUE_ACCOUNT, amount: chargedFen }] : [],
      response: answer('IN', null, journeyId, chargedFen, facts.balanceFen! - chargedFen),
      onLedgerRefusal: (refusal) => this.ledgerRefused(c, common, details, refusal.balance),
    };
  }

  /** An exit: the open journey closes, charged the section fare of the rule version it entered under. */
  private tapOut(tx: CommandTx, c: TapCardCommand, exitNetwork: RuleSet<TransitNetworkParameters>, read: TapFacts<TapOutState>): CommandOutcome<TapAnswer> {
    const { tappedAt, cardNo } = c;
    const station = c.gate.station;
    const card = read.card;
    const wallet = card?.accounts.transit ?? null;
    let facts: TapOutFacts = { card: toCardFacts(card), station, previousTapAtGate: null, openJourney: null, balanceFen: null };
    // A card without a wallet never entered; any known card may leave (a loss report does not trap a rider).
    if (card && wallet && isInService(exitNetwork.parameters, station)) {
      facts = { ...facts, ...read.state, balanceFen: read.wallet.get(wallet) ?? 0 };
    }
    const entryNetwork = facts.openJourney ? this.rules.byRef(TransitNetworkRules, facts.openJourney.ruleSet) : null;
    const d = decideTapOut(exitNetwork.parameters, entryNetwork?.parameters ?? null, { tappedAt }, facts);
    // The fare comes from the version in force at entry: that is the rule set this decision records.
    const ruleSet = d.decision === 'ALLOW' && entryNetwork ? entryNetwork.ref : exitNetwork.ref;
    const common = { ruleSet, subject: cardNo, regions: regionsOf(stationOf(exitNetwork.parameters, station)?.region) };
    const details = { input: this.input(c), facts: { ...facts, exitRuleSet: exitNetwork.ref }, outcome: tapOutOutcome(d), rule: d.rule };
    if (d.decision === 'DENY') {
      if (d.reason.code === 'NO_OPEN_JOURNEY' && wallet) {
        // Its entry may still come in an offline batch: kept, it closes that journey then (ADR 0008).
        this.repository.recordPendingExit(tx, { tapId: c.tapId, cardNo, station, gateId: c.gate.terminalId, tappedAt, recordedAt: tx.now });
      }
      return {
        ...common,
        decision: 'DENY',
        reason: d.reason,
        details,
        response: answer('OUT', d.reason, facts.openJourney?.journeyId ?? null, 0, facts.balanceFen),
      };
    }
    const journey = facts.openJourney!;
    const fareFen = d.fare.fareFen;
    this.repository.deferCloseJourney(tx, journey.journeyId, {
      status: 'CLOSED',
      exitStation: station,
      exitGate: c.gate.terminalId,
      exitTapId: c.tapId,
      exitAt: tappedAt,
      fareFen,
      chargedFen: fareFen,
      closedBy: 'TAP',
      closedCommand: commandKey(TRANSIT_COMMANDS.tap, c.tapId),
      closedDate: businessDateOf(tappedAt),
    });
    return {
      ...common,
      decision: 'ALLOW',
      details,
      transfers: fareFen > 0 ? [{ from: wallet!, to: RAIL_REVENUE_ACCOUNT, amount: fareFen }] : [],
      response: answer('OUT', null, journey.journeyId, fareFen, facts.balanceFen! - fareFen),
      onLedgerRefusal: (refusal) => this.ledgerRefused(c, common, details, refusal.balance),
    };
  }

  private notInForce(c: TapCardCommand): CommandOutcome<TapAnswer> {
    const reason = transitReason('RULES_NOT_IN_FORCE');
    return {
      decision: 'DENY',
      reason,
      ruleSet: null,
      subject: c.cardNo,
      details: { input: this.input(c), facts: {}, outcome: { decision: 'DENY', reason: reason.code }, rule: 'network.in-force' },
      response: answer(c.gate.direction, reason, null, 0, null),
    };
  }

  /** The wallet lock makes this unreachable; should the ledger still refuse, it is a DENY, never a 500. */
  private ledgerRefused(
    c: TapCardCommand,
    common: Pick<CommandOutcome<TapAnswer>, 'ruleSet' | 'subject' | 'regions'>,
    details: { input: Record<string, unknown>; facts: object; rule: string },
    balance: number,
  ): CommandOutcome<TapAnswer> {
    const reason = transitReason('INSUFFICIENT_BALANCE');
    return {
      ...common,
      decision: 'DENY',
      reason,
      details: {
        input: details.input,
        facts: details.facts as Record<string, unknown>,
        outcome: { decision: 'DENY', reason: reason.code },
        rule: 'ledger.non-negative',
      },
      response: answer(c.gate.direction, reason, null, 0, balance),
    };
  }
}

function answer(direction: 'IN' | 'OUT', reason: Reason | null, journeyId: string | null, fareFen: number, balanceFen: number | null): TapAnswer {
  return reason ? { decision: 'DENY', reason, journeyId, direction, fareFen, balanceFen } : { decision: 'ALLOW', journeyId, direction, fareFen, balanceFen };
}

function regionsOf(region: Region | undefined): Region[] {
  return region ? [region] : [];
}
