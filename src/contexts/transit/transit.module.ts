import { CardsModule } from '@contexts/cards';
import { Module } from '@nestjs/common';
import { RulesModule, TransitNetworkRules } from '@onecard/rules';
import { CancelSeatReservationHandler } from './application/cancel-seat-reservation/cancel-seat-reservation.handler.js';
import { ChargeIncompleteJourneysHandler } from './application/charge-incomplete-journeys/charge-incomplete-journeys.handler.js';
import { ClearTransitLockHandler } from './application/clear-transit-lock/clear-transit-lock.handler.js';
import { GetTimetableHandler } from './application/get-timetable/get-timetable.handler.js';
import { CardJourneysHandler } from './application/journey-reports/journey-reports.handler.js';
import { TransitReports } from './application/journey-reports/transit-reports.js';
import { TransitDecisionReplayer } from './application/replay/transit-decision-replayer.js';
import { ReserveSeatHandler } from './application/reserve-seat/reserve-seat.handler.js';
import { ResolveJourneyHandler } from './application/resolve-journey/resolve-journey.handler.js';
import { TapBatchHandler } from './application/tap-batch/tap-batch.handler.js';
import { TapCardHandler } from './application/tap-card/tap-card.handler.js';
import { AdminTransitController } from './http/admin-transit.controller.js';
import { TransitController } from './http/transit.controller.js';
import { IncompleteJourneyScheduler } from './infrastructure/incomplete-journey.scheduler.js';
import { TimetableCache } from './infrastructure/timetable-cache.js';
import { TransitRepository } from './infrastructure/transit.repository.js';

/**
 * The Beijing–Tianjin intercity railway (京津城际): seat slips, gate taps, journeys, fares through the
 * ledger, the missing tap-out job and the railway's reports (ADR 0008).
 */
@Module({
  // The transit context owns the transit/network rule kind (rules/transit/all/network.v*.yaml).
  imports: [CardsModule, RulesModule.forFeature([TransitNetworkRules])],
  controllers: [TransitController, AdminTransitController],
  providers: [
    TransitRepository,
    TimetableCache,
    TapCardHandler,
    TapBatchHandler,
    ReserveSeatHandler,
    CancelSeatReservationHandler,
    ClearTransitLockHandler,
    ResolveJourneyHandler,
    ChargeIncompleteJourneysHandler,
    GetTimetableHandler,
    TransitReports,
    CardJourneysHandler,
    TransitDecisionReplayer,
    IncompleteJourneyScheduler,
  ],
  exports: [TimetableCache],
})
export class TransitModule {}
