import type { CardView } from '@contexts/cards';
import type { CardFacts } from '../domain/tap-facts.js';

/** What a transit decision records of a card (no personal data). */
export function toCardFacts(card: CardView | null): CardFacts | null {
  return card ? { status: card.status, issuingRegion: card.issuingRegion, generation: card.generation, transitApp: card.transitApp } : null;
}
