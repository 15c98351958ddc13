import { Module, type OnModuleInit } from '@nestjs/common';
import { CardsModule } from '@contexts/cards';
import { MedicalCatalogueRules, MedicalPolicyRules, ReplayRegistry, RulesModule } from '@onecard/rules';
import { ClinicTerminals } from './application/clinic-terminal.js';
import { FundOutflowHandler } from './application/fund-outflow/fund-outflow.handler.js';
import { InstitutionDayHandler } from './application/institution-day/institution-day.handler.js';
import { MedicalReports } from './application/medical-reports.js';
import { ListCatalogueHandler } from './application/list-catalogue/list-catalogue.handler.js';
import { PersonAccumulatorsHandler } from './application/person-accumulators/person-accumulators.handler.js';
import { PreSettleHandler } from './application/pre-settle/pre-settle.handler.js';
import { ReverseSettlementHandler } from './application/reverse-settlement/reverse-settlement.handler.js';
import { SettleHandler } from './application/settle/settle.handler.js';
import { MedicalDecisionReplayer } from './application/replay/medical-decision-replayer.js';
import { SettlementEvaluator } from './application/settlement-evaluator.js';
import { MedicalAdminController } from './http/medical-admin.controller.js';
import { MedicalController } from './http/medical.controller.js';
import { MedicalLedgerAccounts } from './infrastructure/medical-ledger-accounts.js';
import { MedicalRepository } from './infrastructure/medical.repository.js';
import { MedicalLedgerSetup } from './public/medical-ledger-setup.js';

/**
 * Cross-region direct settlement (一卡通结, ADR 0009): settlements, pre-settlements and reversals
 * at clinic counters, annual accumulators, result recognition, and the fund and clearing reports.
 */
@Module({
  // The medical context owns the medical/policy and medical/catalogue rule kinds.
  imports: [CardsModule, RulesModule.forFeature([MedicalPolicyRules, MedicalCatalogueRules])],
  controllers: [MedicalController, MedicalAdminController],
  providers: [
    MedicalRepository,
    MedicalReports,
    MedicalLedgerAccounts,
    ClinicTerminals,
    SettlementEvaluator,
    MedicalDecisionReplayer,
    SettleHandler,
    PreSettleHandler,
    ReverseSettlementHandler,
    ListCatalogueHandler,
    InstitutionDayHandler,
    FundOutflowHandler,
    PersonAccumulatorsHandler,
    MedicalLedgerSetup,
  ],
  exports: [MedicalLedgerSetup],
})
export class MedicalModule implements OnModuleInit {
  constructor(
    private readonly replayers: ReplayRegistry,
    private readonly replayer: MedicalDecisionReplayer,
  ) {}

  onModuleInit(): void {
    this.replayers.register(this.replayer);
  }
}
