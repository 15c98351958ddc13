import { ClearingModule } from '@contexts/clearing';
import { Module } from '@nestjs/common';
import { AuditReports } from './application/reports/audit-reports.js';
import { GetAccountStatementHandler } from './application/get-account-statement/get-account-statement.handler.js';
import { GetCardHistoryHandler } from './application/get-card-history/get-card-history.handler.js';
import { GetLedgerDigestHandler } from './application/get-ledger-digest/get-ledger-digest.handler.js';
import { ListAccountsHandler } from './application/list-accounts/list-accounts.handler.js';
import { VerifyLedgerHandler } from './application/verify-ledger/verify-ledger.handler.js';
import { CardHistoryController } from './http/card-history.controller.js';
import { LedgerAuditController } from './http/ledger-audit.controller.js';
import { LedgerReadRepository } from './infrastructure/ledger-read.repository.js';

/**
 * The auditor's read side of the ledger: verification, digests, statements and card histories.
 * It owns no tables and writes nothing; the ledger library's verifier does the checking.
 */
@Module({
  imports: [ClearingModule],
  controllers: [LedgerAuditController, CardHistoryController],
  providers: [
    LedgerReadRepository,
    AuditReports,
    VerifyLedgerHandler,
    GetLedgerDigestHandler,
    GetCardHistoryHandler,
    GetAccountStatementHandler,
    ListAccountsHandler,
  ],
})
export class AuditModule {}
