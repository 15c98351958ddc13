import { CardReasons, type CardReasonCode, type Reason } from '@onecard/kernel';
import type { CardStatus } from './card-status.js';

const REFUSAL_BY_STATUS: Record<CardStatus, CardReasonCode | null> = {
  ACTIVE: null,
  SEALED: 'CARD_NOT_ACTIVE',
  TEMPORARY_LOSS: 'CARD_LOST',
  FORMAL_LOSS: 'CARD_LOST',
  APPLICATION_LOCKED: 'CARD_LOCKED',
  CANCELLED: 'CARD_CANCELLED',
  REPLACED: 'CARD_REPLACED',
};

/**
 * The one answer every context gives to a card that may not be used: an unknown card is
 * CARD_UNKNOWN, only an ACTIVE card passes. Shared so every terminal refuses the same way.
 */
export function cardStatusRefusal(card: { status: CardStatus } | null): Reason<CardReasonCode> | null {
  const code = card ? REFUSAL_BY_STATUS[card.status] : 'CARD_UNKNOWN';
  return code ? { code, message: CardReasons[code] } : null;
}
