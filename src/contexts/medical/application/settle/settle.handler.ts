import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CardsFacade, type CardView, type MedicalCodeConsumption } from '@contexts/cards';
import { businessDateOf, businessYearOf, CLOCK, type Clock, type Fen, type Region } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult, type CommandTx, type Read } from '@onecard/engine';
import { MedicalCatalogueRules, RuleBook } from '@onecard/rules';
import type { Institution, RecognisedResult } from '../../domain/visit.js';
import { fundAccount, institutionAccount, patientCashAccount, settlementLegs } from '../../domain/medical-accounts.js';
import { medicalReason } from '../../domain/medical-reasons.js';
import { MedicalLedgerAccounts } from '../../infrastructure/medical-ledger-accounts.js';
import { MedicalRepository, type LockedYear, type PersonSql } from '../../infrastructure/medical.repository.js';
import { ClinicTerminals } from '../clinic-terminal.js';
import { decisionOutcome, settlementAnswer, settlementInput, type SettlementAnswer, type SettlementRequest } from '../settlement-decision.js';
import { recognitionQuery, SettlementEvaluator, type Evaluation, type EvaluationPort, type RecognitionQuery } from '../settlement-evaluator.js';
import { SettleCommand } from './settle.command.js';

/**
 * What a settlement reads, declared to the executor so that it travels with BEGIN (ADR 0003
 * "Throughput"), in the order the evaluation reads it: the credential (a 医保码 used), the person's
 * year locked, the personal account locked, earlier results. The person is not known before the
 * card is read, so the later reads name the card's holder in SQL (`CardsFacade.credentialCardSql`).
 */
interface SettleReads {
  card?: Prefetch<CardView | null>;
  code?: Prefetch<MedicalCodeConsumption>;
  year?: Prefetch<LockedYear | null>;
  personal?: Prefetch<Map<string, Fen>>;
  candidates?: { query: RecognitionQuery; read: Prefetch<RecognisedResult[]> };
}

/** A settlement's port over its declared reads, and the year's row as it was locked. */
interface SettlePort extends EvaluationPort {
  locked(): LockedYear | null;
}

export const SETTLE_COMMAND_TYPE = 'medical.settle';

/**
 * Settles a bill at a clinic counter as a local patient would (一卡通结), idempotent by
 * settlementId. In one transaction: the 医保码 is used (if that is the credential), the person's
 * year is locked, the split is computed (treatment region's catalogue, home region's policy), the
 * settlement, its accumulation and its recognisable results are written, and the fund, personal
 * account and cash legs post with the journal record — all or nothing. The journal's rule set is
 * the home region's policy; the catalogue's version is in `details.facts`.
 */
@CommandHandler(SettleCommand)
export class SettleHandler implements ICommandHandler<SettleCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly evaluator: SettlementEvaluator,
    private readonly repository: MedicalRepository,
    private readonly cards: CardsFacade,
    private readonly clinics: ClinicTerminals,
    private readonly accounts: MedicalLedgerAccounts,
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: SettleCommand): Promise<CommandResult<SettlementAnswer>> {
    const { request, terminal } = command;
    const institution = await this.clinics.institutionOf(terminal);
    const reads = this.reads(request, institution);
    const cardNo = request.credential.medicalCode === undefined ? request.credential.cardNo : undefined;
    return this.executor.execute<SettlementAnswer>(
      {
        type: SETTLE_COMMAND_TYPE,
        id: request.settlementId,
        context: 'medical',
        terminalId: terminal.terminalId,
        payload: request,
        eventTime: new Date(request.occurredAt),
      },
      async (tx): Promise<CommandOutcome<SettlementAnswer>> => {
        const port = this.port(tx, reads);
        const evaluation = await this.evaluator.evaluate(request, institution, port);
        const { input, facts, decision, card } = evaluation;
        const answer = settlementAnswer(request, facts, decision);
        const details = { input: { ...input }, facts: { ...facts }, outcome: decisionOutcome(decision), rule: 'medical.settlement' };
        const subject = card?.cardNo ?? request.credential.cardNo ?? null;
        const regions = [...new Set([institution.region, ...(facts.person ? [facts.person.homeRegion] : [])])].sort() as Region[];
        if ('refusal' in decision) {
          return { decision: 'DENY', reason: decision.refusal, ruleSet: facts.policy ?? null, response: answer, subject, regions, details };
        }
        return this.accept(tx, evaluation, answer, port.locked(), { details, subject, regions, terminalId: terminal.terminalId });
      },
      {
        prefetch: [reads.code ?? reads.card, reads.year, reads.personal, reads.candidates?.read].filter((p) => p !== undefined),
        // Group commit (ADR 0003) for a settlement by card number. What it locks and writes is the
        // card's (its personal account), the settlement's own rows, ledger accounts that commute
        // (fund, receivable, cash) — and the person's year and results, which another card of the
        // same person could reach in the same batch: the settlement's write then finds the year's
        // row changed since it was read and fails, and the batch runs again one command at a time.
        // A 医保码 names its card only once used, so those settlements run on their own.
        ...(cardNo !== undefined ? { batchKeys: [`card:${cardNo}`] } : {}),
      },
    );
  }

  /** The reads the evaluation will make, declared up front (a read it turns out not to make costs a lock at most). */
  private reads(request: SettlementRequest, institution: Institution): SettleReads {
    const code = request.credential.medicalCode;
    const usedBy = `${SETTLE_COMMAND_TYPE}:${request.settlementId}`;
    const person: PersonSql = (from) =>
      this.cards.credentialCardSql(code !== undefined ? { medicalCode: code, usedBy } : { cardNo: request.credential.cardNo! }, from);
    const reads: SettleReads =
      code !== undefined
        ? // Used at the clock reading taken as the command arrives (the transaction's own comes after its first round trip).
          { code: this.cards.consumeMedicalCodeQuery(code, this.clock.now(), usedBy) }
        : { card: this.cards.findCardQuery(request.credential.cardNo!) };
    const occurredAt = new Date(request.occurredAt);
    const catalogue = this.rules.find(MedicalCatalogueRules, institution.region, occurredAt);
    // Without the treatment region's catalogue the evaluation stops before the year.
    if (!catalogue) return reads;
    const year = businessYearOf(occurredAt);
    if (year >= 2000 && year <= 2999) reads.year = this.repository.lockYearQuery(person, year);
    if (settlementInput(request).usePersonalAccount) reads.personal = this.repository.lockedPersonalAccountQuery(person);
    const query = recognitionQuery(request, institution, catalogue.parameters);
    if (query) reads.candidates = { query, read: this.repository.recognitionCandidatesQuery(person, query.codes, query.from, query.to) };
    return reads;
  }

  private async accept(
    tx: CommandTx,
    evaluation: Evaluation,
    answer: SettlementAnswer,
    locked: LockedYear | null,
    journal: { details: NonNullable<CommandOutcome<unknown>['details']>; subject: string | null; regions: Region[]; terminalId: string },
  ): Promise<CommandOutcome<SettlementAnswer>> {
    const { facts, card, policy, catalogue } = evaluation;
    if (!('computation' in evaluation.decision) || !card || !policy || !catalogue || !facts.person || facts.year === undefined || !locked)
      throw new Error('an accepted settlement needs its card, rules and locked year');
    const { split, accumulation } = evaluation.decision.computation;
    const institution = facts.institution;
    const fund = fundAccount(facts.person.homeRegion);
    const receivable = institutionAccount(institution.venueId, institution.region);
    const cash = patientCashAccount(institution.region);
    await this.accounts.ensure([fund, receivable, cash]);
    const occurredAt = new Date(evaluation.input.occurredAt);
    const results = new Map<string, 'lab' | 'imaging'>();
    if (institution.recognition) {
      for (const i of split.items) if (i.recognisable && !i.recognised) results.set(i.code, i.recognisable);
    }
    this.repository.deferSettlement(
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
      locked.settlements,
      tx,
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
   * The evaluation's reads answered from the declared ones; a read that was not declared, or was
   * declared for another person or window than the evaluation asks for, runs now instead.
   */
  private port(tx: CommandTx, reads: SettleReads): SettlePort {
    let locked: LockedYear | null = null;
    const declared = async (holderId: string, year?: number): Promise<LockedYear | null> => {
      const row = reads.year ? await tx.prefetched(reads.year) : null;
      return row && row.holderId === holderId && (year === undefined || row.year === year) ? row : null;
    };
    return {
      now: tx.now,
      locked: () => locked,
      credential: async () => (reads.code ? tx.prefetched(reads.code) : { ok: true, card: await tx.prefetched(reads.card!) }),
      year: async (holderId, year) => {
        locked = (await declared(holderId, year)) ?? (await this.repository.lockYear(holderId, year, tx));
        return locked.accumulators;
      },
      personalBalance: async (account) => {
        const balance = reads.personal ? (await tx.prefetched(reads.personal)).get(account) : undefined;
        return balance ?? (await tx.ledger.balances([account], { lock: true })).get(account) ?? 0;
      },
      candidates: async (holderId, q) => {
        const c = reads.candidates;
        const same = c && (await declared(holderId)) && c.query.from === q.from && c.query.to === q.to && c.query.codes.join('|') === q.codes.join('|');
        return same ? tx.prefetched(c.read) : this.repository.recognitionCandidates(holderId, q.codes, q.from, q.to, tx);
      },
    };
  }
}
