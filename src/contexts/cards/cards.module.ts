import { Global, Module } from '@nestjs/common';
import { CARD_LOOKUP, type CardLookup } from '@onecard/platform';
import { CardTopUpLimits, RulesModule } from '@onecard/rules';
import { ChangeCardStatusHandler } from './application/change-card-status/change-card-status.handler.js';
import { FindHolderCardsHandler } from './application/find-holder-cards/find-holder-cards.handler.js';
import { GetCardHandler } from './application/get-card/get-card.handler.js';
import { IssueCardHandler } from './application/issue-card/issue-card.handler.js';
import { IssueMedicalCodeHandler } from './application/issue-medical-code/issue-medical-code.handler.js';
import { ReplaceCardHandler } from './application/replace-card/replace-card.handler.js';
import { TopUpCardHandler } from './application/top-up-card/top-up-card.handler.js';
import { AdminCardsController } from './http/admin-cards.controller.js';
import { HolderController } from './http/holder.controller.js';
import { CardsRepository } from './infrastructure/cards.repository.js';
import { MedicalCodesRepository } from './infrastructure/medical-codes.repository.js';
import { PiiHasher } from './infrastructure/pii-hasher.js';
import { CardBulkLoader } from './public/card-bulk-loader.js';
import { CardsFacade } from './public/cards-facade.js';

/**
 * Holders, cards, their accounts and the 医保码. Other contexts import this module (from
 * `@contexts/cards`) and inject CardsFacade. Global for the CARD_LOOKUP port the registry asks when
 * it binds a holder app to a card (as the registry is global for TERMINAL_DIRECTORY).
 */
@Global()
@Module({
  // The cards context owns the top-up limits rule kind (rules/cards/<region>/top-up-limits.v*.yaml).
  imports: [RulesModule.forFeature([CardTopUpLimits])],
  controllers: [AdminCardsController, HolderController],
  providers: [
    CardsRepository,
    MedicalCodesRepository,
    PiiHasher,
    CardsFacade,
    CardBulkLoader,
    IssueCardHandler,
    ChangeCardStatusHandler,
    ReplaceCardHandler,
    TopUpCardHandler,
    IssueMedicalCodeHandler,
    GetCardHandler,
    FindHolderCardsHandler,
    {
      provide: CARD_LOOKUP,
      useFactory: (cards: CardsFacade): CardLookup => ({ exists: async (cardNo) => (await cards.findCard(cardNo)) !== null }),
      inject: [CardsFacade],
    },
  ],
  exports: [CardsFacade, CardBulkLoader, CARD_LOOKUP],
})
export class CardsModule {}
