import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CardsFacade } from '@contexts/cards';
import { CLOCK, type Clock } from '@onecard/kernel';
import { LedgerAccounts } from '@onecard/ledger';
import { MedicalRepository } from '../../infrastructure/medical.repository.js';
import { ClinicTerminals } from '../clinic-terminal.js';
import { settlementAnswer, type SettlementAnswer } from '../settlement-decision.js';
import { SettlementEvaluator } from '../settlement-evaluator.js';
import { PreSettleQuery } from './pre-settle.query.js';

/**
 * The same evaluation as a settlement, on plain reads: the 医保码 is checked but not used, the year
 * and the personal account are read without locks, and nothing is journaled or posted. A
 * settlement sent right after gives the same split unless something changed in between.
 */
@QueryHandler(PreSettleQuery)
export class PreSettleHandler implements IQueryHandler<PreSettleQuery> {
  constructor(
    private readonly evaluator: SettlementEvaluator,
    private readonly repository: MedicalRepository,
    private readonly cards: CardsFacade,
    private readonly clinics: ClinicTerminals,
    private readonly ledger: LedgerAccounts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: PreSettleQuery): Promise<SettlementAnswer> {
    const institution = await this.clinics.institutionOf(query.terminal);
    const now = this.clock.now();
    const sql = this.repository.sql;
    const { facts, decision } = await this.evaluator.evaluate(query.request, institution, {
      now,
      credential: async (request) =>
        request.credential.medicalCode !== undefined
          ? this.cards.checkMedicalCode(request.credential.medicalCode, now, sql)
          : { ok: true, card: await this.cards.findCard(request.credential.cardNo!, sql) },
      year: async (card, year) => {
        const { settlements: _settlements, updatedAt: _updatedAt, ...accumulators } = await this.repository.readYear(card.holder.holderId, year, sql);
        return accumulators;
      },
      personalBalance: async (account) => (await this.ledger.balance(account)) ?? 0,
      candidates: (card, q) => this.repository.recognitionCandidates({ cardNo: card.cardNo }, q.codes, q.from, q.to),
    });
    return settlementAnswer(query.request, facts, decision);
  }
}
