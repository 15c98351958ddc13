/**
 * The cards context's public face (the only thing other contexts import, as `@contexts/cards`):
 * look a card up inside a command, refuse unusable cards the same way everywhere, use a 医保码.
 */
export { CardsModule } from '../cards.module.js';
export { CARDS_SQL, CardsFacade, refuseUnusableCard, toCardView, type CardView, type MedicalCodeConsumption } from './cards-facade.js';
export { CardBulkLoader, type BulkCard, type BulkFunding } from './card-bulk-loader.js';
export { cardStatusRefusal } from '../domain/card-status-refusal.rule.js';
export { CARD_NO_PATTERN, isValidCardNo, formatCardNo } from '../domain/card-number.js';
export { CARD_STATUSES, type CardStatus } from '../domain/card-status.js';
export { MEDICAL_CODE_PATTERN, MEDICAL_CODE_TTL_MS, MedicalCodeReasons, type MedicalCodeReasonCode } from '../domain/medical-code.js';
export { makeNationalId } from '../domain/national-id.js';
export { cardAccountCodes, type CardAccountCodes, type Scheme } from '../domain/card-accounts.js';
export type { CardGeneration } from '../domain/card-product.rule.js';
export type { TopUpAccount } from '../domain/top-up.rule.js';
