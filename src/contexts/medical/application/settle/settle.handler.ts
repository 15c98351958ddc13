import { CardsFacade, type CardView, type MedicalCodeConsumption } from '@contexts/cards';
import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, commandKey, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx, type Read } from '@onecard/engine';
import { businessDateOf, businessYearOf, CLOCK, type Clock, type DecisionDetails, type Fen, type Region } from '@onecard/kernel';
import { MedicalCatalogueRules, RuleBook } from '@onecard/rules';
import { fundAccount, institutionAccount, patientCashAccount, settlementLegs } from '../../domain/medical-accounts.js';
import { MEDICAL_COMMANDS } from '../../domain/medical-commands.js';
import { medicalReason } from '../../domain/medical-reasons.js';
import type { Institution, RecognisedResult } from '../../domain/visit.js';
import { MedicalLedgerAccounts } from '../../infrastructure/medical-ledger-accounts.js';
import { MedicalRepository, type PersonYear, type SettlementCard } from '../../infrastructure/medical.repository.js';
import { ClinicTerminals } from '../clinic-terminal.js';
import { decisionOutcome, settlementAnswer, settlementInput, type SettlementAnswer, type SettlementRequest } from '../settlement-decision.js';
import { recognitionQuery, SettlementEvaluator, type Evaluation, type EvaluationPort, type RecognitionQuery } from '../settlement-evaluator.js';
import { OnePersonPerTransaction } from './one-person-per-transaction.js';
import { SettleCommand } from './settle.command.js';

/**
 * What a settlement reads, in the order the evaluation uses it: the credential (the card, or a
 * 医保码 used), the person's year locked, the personal account locked, earlier results. A read the
 * evaluation turns out not to need costs a lock at most.
 */
interface SettleReads {
  card?: Read<CardView | null>;
  code?: Read<MedicalCodeConsumption>;
  year?: Read<PersonYear | null>;
  personal?: Read<Map<string, Fen>>;
  candidates?: Read<RecognisedResult[]>;
}

/** What the reads answered. */
interface SettleFacts {
  card?: CardView | null;
  code?: MedicalCodeConsumption;
  year?: PersonYear | null;
  personal?: Map<string, Fen>;
  candidates?: RecognisedResult[];
}

/** What the plan declared beyond the reads: the year and the results it asked for. */
interface Declared {
  year: number | null;
  recognition: RecognitionQuery | null;
}

/**
 * Settles a bill at a clinic counter as a local patient would (一卡通结), idempotent by
 * settlementId. In one transaction: the 医保码 is used (if that is the credential), the person's
 * year is locked, the split is computed (treatment region's catalogue, home region's policy), the
 * settlement, its accumulation and its recognisable results are written, and the fund, personal
 * account and cash legs post with the journal record — all or nothing. The journal's rule set is
 * the home region's policy; the catalogue's version is in `details.facts`.
 *
 * Settlements are batched, by card number and by 医保码 alike. What a settlement changes is the
 * card's (its personal account), the person's (year, results), its own rows, or commutes (fund,
 * receivable, cash). The card is kept out of other batched commands by its key where it is known
 * (`card:<cardNo>`; a 医保码 by `medical-code:<digest>`). The person cannot be (two cards; a 医保码's
 * card is known only in the transaction): a batch with two settlements of one person fails in
 * `decide` (`OnePersonPerTransaction`) and runs one by one, and across transactions the year's
 * row lock (or, for the year's first settlement, the write's check) makes them take turns.
 */
@CommandHandler(SettleCommand)
export class SettleHandler extends PlannedCommandHandler<SettleCommand, SettlementAnswer> {
  private readonly persons = new OnePersonPerTransaction();

  constructor(
    executor: CommandExecutor,
    private readonly evaluator: SettlementEvaluator,
    private readonly repository: MedicalRepository,
    private readonly cards: CardsFacade,
    private readonly clinics: ClinicTerminals,
    private readonly accounts: MedicalLedgerAccounts,
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(executor);
  }

  protected async plan(command: SettleCommand): Promise<CommandPlan<SettlementAnswer>> {
    const { request, terminal } = command;
    const institution = await this.clinics.institutionOf(terminal);
    const code = request.credential.medicalCode;
    const usedBy = commandKey(MEDICAL_COMMANDS.settle, request.settlementId);
    const card: SettlementCard = code !== undefined ? { codeDigest: this.cards.medicalCodeDigest(code), usedBy } : { cardNo: request.credential.cardNo! };
    const reads: SettleReads =
      code !== undefined
        ? // Used at the clock reading taken as the command arrives (the transaction's own comes after its first round trip).
          { code: this.cards.medicalCodeRead(code, this.clock.now(), usedBy) }
        : { card: this.cards.cardRead(request.credential.cardNo!) };
    const declared = this.declareState(request, institution, card, reads);
    return {
      envelope: {
        type: MEDICAL_COMMANDS.settle,
        id: request.settlementId,
        context: 'medical',
        terminalId: terminal.terminalId,
        payload: request,
        eventTime: new Date(request.occurredAt),
      },
      reads,
      batchKeys: ['cardNo' in card ? `card:${card.cardNo}` : `medical-code:${card.codeDigest}`],
      decide: (f: SettleFacts, tx: CommandTx) => this.settle(tx, command, institution, declared, f),
    };
  }

  /** The person's state the evaluation will read, named through the card (not known before the reads if the credential is a 医保码). */
  private declareState(request: SettlementRequest, institution: Institution, card: SettlementCard, reads: SettleReads): Declared {
    const occurredAt = new Date(request.occurredAt);
    const catalogue = this.rules.find(MedicalCatalogueRules, institution.region, occurredAt);
    // Without the treatment region's catalogue the evaluation stops before the year.
    if (!catalogue) return { year: null, recognition: null };
    const year = businessYearOf(occurredAt);
    reads.year = this.repository.personYearRead(card, year);
    if (settlementInput(request).usePersonalAccount) reads.personal = this.repository.personalAccountRead(card);
    const recognition = recognitionQuery(request, institution, catalogue.parameters);
    if (recognition) reads.candidates = this.repository.recognitionCandidatesRead(card, recognition.codes, recognition.from, recognition.to);
    return { year, recognition };
  }

  /** The evaluation on what the reads answered; an accepted split is written and posted. */
  private async settle(
    tx: CommandTx,
    command: SettleCommand,
    institution: Institution,
    declared: Declared,
    f: SettleFacts,
  ): Promise<CommandOutcome<SettlementAnswer>> {
    const { request, terminal } = command;
    const evaluation = await this.evaluator.evaluate(request, institution, this.port(tx, request, declared, f));
    const { input, facts, decision, card } = evaluation;
    const answer = settlementAnswer(request, facts, decision);
    const details = { input: { ...input }, facts: { ...facts }, outcome: decisionOutcome(decision), rule: 'medical.settlement' };
    const subject = card?.cardNo ?? request.credential.cardNo ?? null;
    const regions = [...new Set([institution.region, ...(facts.person ? [facts.person.homeRegion] : [])])].sort() as Region[];
    if ('refusal' in decision) {
      return { decision: 'DENY', reason: decision.refusal, ruleSet: facts.policy ?? null, response: answer, subject, regions, details };
    }
    return this.accept(tx, evaluation, answer, f.year ?? null, { details, subject, regions, terminalId: terminal.terminalId });
  }

  /** The settlement, its accumulation and results written with the commit; its legs posted. */
  private accept(
    tx: CommandTx,
    evaluation: Evaluation,
    answer: SettlementAnswer,
    year: PersonYear | null,
    journal: { details: DecisionDetails; subject: string | null; regions: Region[]; terminalId: string },
  ): CommandOutcome<SettlementAnswer> {
    const { facts, card, policy, catalogue } = evaluation;
    if (!('computation' in evaluation.decision) || !card || !policy || !catalogue || !facts.person || facts.year === undefined || !year)
      throw new Error('an accepted settlement needs its card, rules and year');
    const { split, accumulation } = evaluation.decision.computation;
    const institution = facts.institution;
    const fund = fundAccount(facts.person.homeRegion);
    const receivable = institutionAccount(institution.venueId, institution.region);
    const cash = patientCashAccount(institution.region);
    const unopened = this.accounts.unopened([fund, receivable, cash]);
    tx.ledger.openAccounts(unopened);
    tx.afterCommit(() => this.accounts.markOpened(unopened));
    const occurredAt = new Date(evaluation.input.occurredAt);
    const results = new Map<string, 'lab' | 'imaging'>();
    if (institution.recognition) {
      for (const i of split.items) if (i.recognisable && !i.recognised) results.set(i.code, i.recognisable);
    }
    this.repository.deferSettlement(
      tx,
      {
        settlementId: answer.settlementId,
        institutionId: institution.venueId,
        institutionRegion: institution.region,
        terminalId: journal.terminalId,
        cardNo: card.cardNo,
        holderId: card.holder.holderId,
        homeRegion: facts.person.homeRegion,
        scheme: facts.person.scheme,
        retiree: facts.person.retiree,
        visitType: evaluation.input.visitType,
        occurredAt,
        businessDate: businessDateOf(occurredAt),
        year: facts.year,
        ...split.totals,
        accumulation,
        items: answer.items,
        policy: policy.ref,
        catalogue: catalogue.ref,
        settledAt: tx.now,
      },
      [...results].map(([code, kind]) => ({ code, kind })),
      year.settlements,
    );
    const legs = settlementLegs(split.totals, { fund: fund.code, personal: card.accounts.personal, cash: cash.code, institution: receivable.code });
    return {
      decision: 'ALLOW',
      ruleSet: policy.ref,
      response: answer,
      transfers: legs,
      subject: journal.subject,
      regions: journal.regions,
      details: journal.details,
      // The personal account was read under lock, so this is a safety net, never the normal path.
      onLedgerRefusal: () => {
        const reason = medicalReason('INSUFFICIENT_BALANCE');
        return {
          decision: 'DENY',
          reason,
          ruleSet: policy.ref,
          response: { ...settlementAnswer(answer, facts, { refusal: reason }) },
          subject: journal.subject,
          regions: journal.regions,
          details: { ...journal.details, facts: { ...journal.details.facts, ledgerRefusal: 'INSUFFICIENT_BALANCE' }, outcome: { refused: reason.code } },
        };
      },
    };
  }

  /**
   * The evaluation's reads, answered from the declared ones. The plan declares what the evaluation
   * reads (same catalogue, year and results window), so a read it did not declare is a bug, not a
   * query to run now. The person's year claims the person for this transaction.
   */
  private port(tx: CommandTx, request: SettlementRequest, declared: Declared, f: SettleFacts): EvaluationPort {
    const undeclared = (what: string) => new Error(`settlement ${request.settlementId}: the evaluation reads ${what}, which its plan did not declare`);
    return {
      now: tx.now,
      credential: async () => f.code ?? { ok: true, card: f.card ?? null },
      year: async (card, year) => {
        const row = f.year;
        if (!row || declared.year !== year || row.holderId !== card.holder.holderId) throw undeclared(`the year ${year} of ${card.cardNo}`);
        this.persons.claim(row.transaction, row.holderId, request.settlementId);
        return row.accumulators;
      },
      personalBalance: async (account) => {
        if (!f.personal) throw undeclared(`the balance of ${account}`);
        return f.personal.get(account) ?? 0;
      },
      candidates: async (_card, q) => {
        const d = declared.recognition;
        if (!f.candidates || !d || d.from !== q.from || d.to !== q.to || d.codes.join('|') !== q.codes.join('|')) throw undeclared('recognition candidates');
        return f.candidates;
      },
    };
  }
}
