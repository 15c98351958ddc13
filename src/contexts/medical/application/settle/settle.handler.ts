import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CardsFacade } from '@contexts/cards';
import { businessDateOf, type Region } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult, type CommandTx } from '@onecard/ledger';
import { fundAccount, institutionAccount, patientCashAccount, settlementLegs } from '../../domain/medical-accounts.js';
import { medicalReason } from '../../domain/medical-reasons.js';
import { MedicalLedgerAccounts } from '../../infrastructure/medical-ledger-accounts.js';
import { MedicalRepository } from '../../infrastructure/medical.repository.js';
import { ClinicTerminals } from '../clinic-terminal.js';
import { decisionOutcome, settlementAnswer, type SettlementAnswer } from '../settlement-decision.js';
import { SettlementEvaluator, type Evaluation, type EvaluationPort } from '../settlement-evaluator.js';
import { SettleCommand } from './settle.command.js';

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
  ) {}

  async execute(command: SettleCommand): Promise<CommandResult<SettlementAnswer>> {
    const { request, terminal } = command;
    const institution = await this.clinics.institutionOf(terminal);
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
        const evaluation = await this.evaluator.evaluate(request, institution, this.port(tx, request.settlementId));
        const { input, facts, decision, card } = evaluation;
        const answer = settlementAnswer(request, facts, decision);
        const details = { input: { ...input }, facts: { ...facts }, outcome: decisionOutcome(decision), rule: 'medical.settlement' };
        const subject = card?.cardNo ?? request.credential.cardNo ?? null;
        const regions = [...new Set([institution.region, ...(facts.person ? [facts.person.homeRegion] : [])])].sort() as Region[];
        if ('refusal' in decision) {
          return { decision: 'DENY', reason: decision.refusal, ruleSet: facts.policy ?? null, response: answer, subject, regions, details };
        }
        return this.accept(tx, evaluation, answer, { details, subject, regions, terminalId: terminal.terminalId });
      },
    );
  }

  private async accept(
    tx: CommandTx,
    evaluation: Evaluation,
    answer: SettlementAnswer,
    journal: { details: NonNullable<CommandOutcome<unknown>['details']>; subject: string | null; regions: Region[]; terminalId: string },
  ): Promise<CommandOutcome<SettlementAnswer>> {
    const { facts, card, policy, catalogue } = evaluation;
    if (!('computation' in evaluation.decision) || !card || !policy || !catalogue || !facts.person || facts.year === undefined) throw new Error('an accepted settlement needs its card, rules and year');
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
    await this.repository.recordSettlement(
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
        return { decision: 'DENY', reason, ruleSet: policy.ref, response: { ...settlementAnswer(answer, facts, { refusal: reason }) }, subject: journal.subject, regions: journal.regions, details: { ...journal.details, facts: { ...journal.details.facts, ledgerRefusal: 'INSUFFICIENT_BALANCE' }, outcome: { refused: reason.code } } };
      },
    };
  }

  private port(tx: CommandTx, settlementId: string): EvaluationPort {
    return {
      now: tx.now,
      sql: tx,
      credential: async (request) =>
        request.credential.medicalCode !== undefined
          ? this.cards.consumeMedicalCode(request.credential.medicalCode, tx, `medical.settle:${settlementId}`)
          : { ok: true, card: await this.cards.findCard(request.credential.cardNo!, tx) },
      year: (holderId, year) => this.repository.lockYear(holderId, year, tx),
      personalBalance: async (account) => (await tx.ledger.balances([account], { lock: true })).get(account) ?? 0,
    };
  }
}
