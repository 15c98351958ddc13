import { CardsModule } from '@contexts/cards';
import { Module } from '@nestjs/common';
import { RulesModule, ScenicAdmissionRules } from '@onecard/rules';
import { BuyAnnualPassHandler } from './application/buy-annual-pass/buy-annual-pass.handler.js';
import { ConfigureSpotHandler } from './application/configure-spot/configure-spot.handler.js';
import { ListAnnualPassesHandler } from './application/list-annual-passes/list-annual-passes.handler.js';
import { ListSpotsHandler } from './application/list-spots/list-spots.handler.js';
import { ScenicDecisionReplayer } from './application/replay/scenic-decision-replayer.js';
import { ScenicDayReportHandler } from './application/scenic-day-report/scenic-day-report.handler.js';
import { ScenicReports } from './application/scenic-day-report/scenic-reports.js';
import { TapScenicGateHandler } from './application/tap-scenic-gate/tap-scenic-gate.handler.js';
import { AnnualPassesController } from './http/annual-passes.controller.js';
import { ScenicAdminController } from './http/scenic-admin.controller.js';
import { ScenicTapsController } from './http/scenic-taps.controller.js';
import { ScenicRepository } from './infrastructure/scenic.repository.js';
import { ScenicSpots } from './public/scenic-spots.js';

/**
 * Scenic spots (一卡畅游): gate taps priced by the spot region's admission rules, annual passes,
 * daily capacity, and the visits read side (ADR 0010).
 */
@Module({
  // The scenic context applies rules/scenic/<region>/admission.v*.yaml.
  imports: [CardsModule, RulesModule.forFeature([ScenicAdmissionRules])],
  controllers: [ScenicTapsController, AnnualPassesController, ScenicAdminController],
  providers: [
    ScenicRepository,
    ScenicDecisionReplayer,
    ScenicSpots,
    TapScenicGateHandler,
    BuyAnnualPassHandler,
    ConfigureSpotHandler,
    ScenicDayReportHandler,
    ScenicReports,
    ListSpotsHandler,
    ListAnnualPassesHandler,
  ],
  exports: [ScenicSpots],
})
export class ScenicModule {}
