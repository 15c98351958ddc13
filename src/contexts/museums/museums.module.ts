import { CardsModule } from '@contexts/cards';
import { Module } from '@nestjs/common';
import { MuseumBookingRules, RulesModule } from '@onecard/rules';
import { BookVisitHandler } from './application/book-visit/book-visit.handler.js';
import { CancelReservationHandler } from './application/cancel-reservation/cancel-reservation.handler.js';
import { ConfigureMuseumHandler } from './application/configure-museum/configure-museum.handler.js';
import { CountNoShowHandler } from './application/count-no-shows/count-no-show.handler.js';
import { NoShowCounter } from './application/count-no-shows/no-show-counter.js';
import { NoShowSchedule } from './application/count-no-shows/no-show-schedule.js';
import { ListMuseumsHandler } from './application/list-museums/list-museums.handler.js';
import { MuseumsDecisionReplayer } from './application/replay/museums-decision-replayer.js';
import { MuseumReports } from './application/slot-report/museum-reports.js';
import { MuseumSlotReportHandler } from './application/slot-report/slot-report.handler.js';
import { TapMuseumGateHandler } from './application/tap-museum-gate/tap-museum-gate.handler.js';
import { MuseumsAdminController } from './http/museums-admin.controller.js';
import { MuseumsController } from './http/museums.controller.js';
import { MuseumsRepository } from './infrastructure/museums.repository.js';
import { MuseumsAdmin } from './public/museums-admin.js';

/**
 * Museums (一卡通览): timed-slot reservations with quotas, gate entry in the slot window,
 * cancellations, the no-show job and booking bans, and the per-slot read side (ADR 0010).
 */
@Module({
  // The museums context applies rules/museums/<region>/booking.v*.yaml.
  imports: [CardsModule, RulesModule.forFeature([MuseumBookingRules])],
  controllers: [MuseumsController, MuseumsAdminController],
  providers: [
    MuseumsRepository,
    MuseumsDecisionReplayer,
    MuseumsAdmin,
    NoShowCounter,
    NoShowSchedule,
    BookVisitHandler,
    CancelReservationHandler,
    TapMuseumGateHandler,
    CountNoShowHandler,
    ConfigureMuseumHandler,
    ListMuseumsHandler,
    MuseumSlotReportHandler,
    MuseumReports,
  ],
  exports: [MuseumsAdmin, NoShowCounter],
})
export class MuseumsModule {}
