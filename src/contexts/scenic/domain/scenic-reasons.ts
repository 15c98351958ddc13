import { CardReasons } from '@onecard/kernel';

/** Why a scenic-gate tap is refused (besides the shared card reasons). */
export const ScenicTapReasons = {
  SPOT_NOT_CONFIGURED: 'This scenic spot has no admission configuration (price, capacity).',
  ADMISSION_RULES_NOT_IN_FORCE: "No admission rules are in force for this spot's region on the visit date.",
  INSUFFICIENT_BALANCE: "The card's bank account holds less than the admission price.",
  CAPACITY_FULL: 'The spot has reached its daily capacity.',
} as const;
export type ScenicTapReasonCode = keyof typeof ScenicTapReasons;

/** Why an annual-pass purchase is refused (besides the shared card reasons). */
export const AnnualPassReasons = {
  PASS_NOT_SOLD: 'No annual pass with this code is sold in the region on this date.',
  PASS_ALREADY_HELD: 'The holder already has this pass for the same period.',
  INSUFFICIENT_BALANCE: "The card's bank account holds less than the pass price.",
} as const;
export type AnnualPassReasonCode = keyof typeof AnnualPassReasons;

/** Every code a scenic tap can answer, for the OpenAPI description. */
export const SCENIC_TAP_REASON_CODES = [...Object.keys(ScenicTapReasons), ...Object.keys(CardReasons)];
export const ANNUAL_PASS_REASON_CODES = [...Object.keys(AnnualPassReasons), ...Object.keys(CardReasons)];
