import { CardsFacade, refuseUnusableCard, type CardView } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Facts, type Read } from '@onecard/engine';
import { businessDateOf, type Reason } from '@onecard/kernel';
import { MuseumBookingRules, RuleBook } from '@onecard/rules';
import type { DayReservation } from '../../domain/admission.rule.js';
import { MUSEUMS_COMMANDS } from '../../domain/museums-commands.js';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { decideEntry, type RecordedEntryFacts } from './entry-outcome.js';
import { TapMuseumGateCommand, type MuseumTapAnswer } from './tap-museum-gate.command.js';

type EntryReads = {
  card: Read<CardView | null>;
  /** The holder's reservations of the day at the museum, locked. */
  reservations: Read<DayReservation[]>;
};

/**
 * A card at a museum gate, idempotent by tapId: admits the holder with a reservation whose entry
 * window (from `earlyEntryMinutes` before the slot until it ends, rule data) is open at tappedAt,
 * and marks it used. Entry is free, so no money moves; every decision is journaled. The holder's
 * reservations of the day are locked, so two taps never use one reservation twice.
 */
@CommandHandler(TapMuseumGateCommand)
export class TapMuseumGateHandler extends PlannedCommandHandler<TapMuseumGateCommand, MuseumTapAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: MuseumsRepository,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(c: TapMuseumGateCommand): CommandPlan<MuseumTapAnswer, EntryReads> {
    const { tapId, cardNo, tappedAt, museumId, terminalId } = c;
    const at = new Date(tappedAt);
    const visitDate = businessDateOf(at);
    return {
      envelope: { type: MUSEUMS_COMMANDS.tap, id: tapId, context: 'museums', terminalId, payload: { cardNo, museumId, tappedAt }, eventTime: at },
      reads: { card: this.cards.cardRead(cardNo), reservations: this.repository.dayReservationsRead(cardNo, museumId, visitDate) },
      // What a tap reads and changes is its holder's, who enters with one usable card: taps of
      // different cards commit together (the reservations' row locks order the rest).
      batchKeys: [`card:${cardNo}`],
      decide: (f, tx) => this.enter(tx, c, f),
    };
  }

  /** The card usable, and a booked reservation whose entry window is open. */
  private enter(tx: CommandTx, c: TapMuseumGateCommand, f: Facts<EntryReads>): CommandOutcome<MuseumTapAnswer> {
    const { tapId, cardNo, tappedAt, museumId, museumRegion } = c;
    const at = new Date(tappedAt);
    const visitDate = businessDateOf(at);
    const ruleSet = this.rules.find(MuseumBookingRules, museumRegion, at);
    const ref = ruleSet?.ref ?? null;
    const input = { cardNo, museumId, museumRegion, tappedAt };
    const facts: RecordedEntryFacts = { cardStatus: f.card?.status ?? null };
    const answer = (reason: Reason | undefined, about: Pick<MuseumTapAnswer, 'reservationId' | 'slot'>): MuseumTapAnswer => ({
      decision: reason ? 'DENY' : 'ALLOW',
      ...(reason ? { reason } : {}),
      tapId,
      museumId,
      visitDate,
      ...about,
      ruleSet: ref,
    });

    const refused = refuseUnusableCard(f.card, {
      subject: cardNo,
      regions: [museumRegion],
      ruleSet: ref,
      answer: (reason) => answer(reason, { reservationId: null, slot: null }),
      details: () => ({ input, facts: { ...facts }, outcome: { ...decideEntry(null, museumId, facts).outcome }, rule: 'cards.card-status' }),
    });
    if (refused) return refused;

    if (ruleSet) {
      facts.visitDate = visitDate;
      facts.tappedAt = tappedAt;
      facts.reservations = f.reservations;
    }
    // The decision comes from the recorded facts, as the replayer computes it.
    const decided = decideEntry(ruleSet?.parameters ?? null, museumId, facts);
    const o = decided.outcome;
    if (o.decision === 'ALLOW') this.repository.deferAdmit(tx, o.reservationId!, tapId, at);
    const reason: Reason | undefined = o.reason ? { code: o.reason, message: decided.message ?? o.reason } : undefined;
    return {
      decision: o.decision,
      reason,
      ruleSet: ref,
      response: answer(reason, { reservationId: o.reservationId, slot: o.slot }),
      subject: cardNo,
      regions: [museumRegion],
      details: { input, facts: { ...facts }, outcome: { ...o }, rule: decided.rule },
    };
  }
}
