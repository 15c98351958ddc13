import { Module } from '@nestjs/common';
import { CardsModule } from '@contexts/cards';
import { LibraryCirculationRules, RulesModule } from '@onecard/rules';
import { AddItemHandler } from './application/add-item/add-item.handler.js';
import { CardLoansHandler } from './application/card-loans/card-loans.handler.js';
import { LendItemHandler } from './application/lend-item/lend-item.handler.js';
import { LibraryCirculationHandler } from './application/library-circulation/library-circulation.handler.js';
import { LibraryFinesHandler } from './application/library-fines/library-fines.handler.js';
import { LibraryReports } from './application/library-reports.js';
import { PayFinesHandler } from './application/pay-fines/pay-fines.handler.js';
import { LibrariesDecisionReplayer } from './application/replay/libraries-decision-replayer.js';
import { RenewLoanHandler } from './application/renew-loan/renew-loan.handler.js';
import { ReturnItemHandler } from './application/return-item/return-item.handler.js';
import { AdminLibrariesController } from './http/admin-libraries.controller.js';
import { LibraryDeskController } from './http/library-desk.controller.js';
import { CardHolders } from './infrastructure/card-holders.js';
import { CirculationRepository } from './infrastructure/circulation.repository.js';
import { LibraryDirectory } from './infrastructure/library-directory.js';
import { LibraryLedgerAccounts } from './infrastructure/library-ledger-accounts.js';
import { LibraryCatalogue } from './public/library-catalogue.js';

/**
 * Libraries (一卡通阅, ADR 0011): loans, returns, renewals and fines at library desks, by the
 * circulation rules of the item's network for the holder's home region.
 */
@Module({
  // The libraries context owns the circulation rule kind (rules/libraries/<region>/circulation.v*.yaml).
  imports: [CardsModule, RulesModule.forFeature([LibraryCirculationRules])],
  controllers: [LibraryDeskController, AdminLibrariesController],
  providers: [
    CirculationRepository,
    CardHolders,
    LibraryDirectory,
    LibraryLedgerAccounts,
    LibraryCatalogue,
    LibrariesDecisionReplayer,
    LendItemHandler,
    ReturnItemHandler,
    RenewLoanHandler,
    PayFinesHandler,
    AddItemHandler,
    LibraryCirculationHandler,
    LibraryReports,
    CardLoansHandler,
    LibraryFinesHandler,
  ],
  exports: [LibraryCatalogue],
})
export class LibrariesModule {}
