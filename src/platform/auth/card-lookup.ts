/**
 * Port the registry asks whether a card exists (binding a holder app to it); the cards context
 * implements it, as the registry implements TERMINAL_DIRECTORY — so neither imports the other.
 */
export interface CardLookup {
  exists(cardNo: string): Promise<boolean>;
}

export const CARD_LOOKUP = Symbol('CARD_LOOKUP');
