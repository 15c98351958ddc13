import { CardReasons } from '@onecard/kernel';

/**
 * Reason codes of the libraries context (UPPER_SNAKE, listed in OpenAPI). A refused tap at a desk
 * is a journaled DENY with one of these, never an error: an unknown barcode is ITEM_UNKNOWN.
 */
export const LibraryReasons = {
  ITEM_UNKNOWN: 'No item with this barcode is registered.',
  ITEM_ALREADY_ON_LOAN: 'The item is already on loan.',
  ITEM_OF_ANOTHER_NETWORK: 'This library does not lend items of another library network.',
  CIRCULATION_RULES_NOT_IN_FORCE: "No circulation rules are in force for the item's library network.",
  FINES_OUTSTANDING: 'Unpaid library fines are above the limit that allows borrowing; pay them first.',
  LOANS_OVERDUE: 'An overdue loan must be returned before borrowing again.',
  LOAN_LIMIT_REACHED: 'The holder already has as many items on loan from this network as the rules allow.',
  ITEM_NOT_ON_LOAN: 'The item is not on loan.',
  RETURN_OUTSIDE_NETWORK: 'The item belongs to another library network, which does not take returns here.',
  LOAN_OF_ANOTHER_HOLDER: 'The item is on loan to another holder.',
  RENEWAL_LIMIT_REACHED: 'The loan has been renewed as often as the rules allow.',
  LOAN_OVERDUE: 'An overdue loan cannot be renewed; return it.',
  NO_OUTSTANDING_FINES: 'The holder has no unpaid library fines.',
  AMOUNT_EXCEEDS_OUTSTANDING_FINES: 'The amount is more than the unpaid fines.',
  INSUFFICIENT_BALANCE: "The card's bank account balance is too low.",
} as const;
export type LibraryReasonCode = keyof typeof LibraryReasons;

const CARD_CODES = Object.keys(CardReasons) as (keyof typeof CardReasons)[];

/** Every code each command can answer with, for OpenAPI. */
export const LOAN_REASON_CODES = [
  ...CARD_CODES,
  'ITEM_UNKNOWN',
  'ITEM_ALREADY_ON_LOAN',
  'ITEM_OF_ANOTHER_NETWORK',
  'CIRCULATION_RULES_NOT_IN_FORCE',
  'FINES_OUTSTANDING',
  'LOANS_OVERDUE',
  'LOAN_LIMIT_REACHED',
] as const;
export const RETURN_REASON_CODES = ['ITEM_UNKNOWN', 'ITEM_NOT_ON_LOAN', 'RETURN_OUTSIDE_NETWORK'] as const;
export const RENEWAL_REASON_CODES = [
  ...CARD_CODES,
  'ITEM_UNKNOWN',
  'ITEM_NOT_ON_LOAN',
  'LOAN_OF_ANOTHER_HOLDER',
  'RENEWAL_LIMIT_REACHED',
  'LOAN_OVERDUE',
] as const;
export const FINE_PAYMENT_REASON_CODES = [...CARD_CODES, 'NO_OUTSTANDING_FINES', 'AMOUNT_EXCEEDS_OUTSTANDING_FINES', 'INSUFFICIENT_BALANCE'] as const;

export function libraryReason(code: LibraryReasonCode): { code: LibraryReasonCode; message: string } {
  return { code, message: LibraryReasons[code] };
}
