import { Module } from '@nestjs/common';
import { ClearingPrepaymentRules, RulesModule } from '@onecard/rules';
import { CloseDayHandler } from './application/close-day/close-day.handler.js';
import { ConfirmSettlementHandler } from './application/confirm-settlement/confirm-settlement.handler.js';
import { GetDayStatementHandler } from './application/get-day/get-day.handler.js';
import { GetMonthHandler } from './application/get-month/get-month.handler.js';
import { PayTopUpCallHandler } from './application/pay-top-up-call/pay-top-up-call.handler.js';
import { ClearingReports } from './application/reports/clearing-reports.js';
import { ClearingAdminController } from './http/clearing-admin.controller.js';
import { ClearingRepository } from './infrastructure/clearing.repository.js';
import { ClearingStatementChain } from './public/statement-chain.js';

/**
 * Inter-region clearing (REFERENCE.md §6, ADR 0015): daily statements derived from the ledger's
 * postings, day close onto a hash-chained statement record with the netted transfers, the medical
 * monthly cycle against prepayments, and settlement confirmations.
 */
@Module({
  imports: [RulesModule.forFeature([ClearingPrepaymentRules])],
  controllers: [ClearingAdminController],
  providers: [
    ClearingRepository,
    ClearingReports,
    ClearingStatementChain,
    CloseDayHandler,
    GetDayStatementHandler,
    GetMonthHandler,
    ConfirmSettlementHandler,
    PayTopUpCallHandler,
  ],
  exports: [ClearingStatementChain],
})
export class ClearingModule {}
