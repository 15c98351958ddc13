import { CardReasons, type Reason } from '@onecard/kernel';

/**
 * Why a well-formed settlement or reversal is refused (a journaled DENY). Card and 医保码 reasons
 * are the cards context's, answered the same way at every terminal.
 */
export const MedicalReasons = {
  ...CardReasons,
  MEDICAL_CODE_UNKNOWN: 'The medical-insurance code is not known.',
  MEDICAL_CODE_EXPIRED: 'The medical-insurance code has expired; show a fresh one.',
  MEDICAL_CODE_USED: 'The medical-insurance code has already been used.',
  OCCURRED_IN_FUTURE: 'occurredAt is later than the service clock allows; check the terminal clock.',
  MEDICAL_POLICY_NOT_IN_FORCE: "No medical policy of the patient's home region is in force on that day.",
  MEDICAL_CATALOGUE_NOT_IN_FORCE: "No medical catalogue of the institution's region is in force on that day.",
  INSUFFICIENT_BALANCE: 'The personal account balance changed during the settlement; settle again.',
  ALREADY_REVERSED: 'This settlement has already been reversed.',
  NOTHING_TO_REVERSE: 'The settlement was refused: nothing was paid, so there is nothing to reverse.',
} as const;
export type MedicalReasonCode = keyof typeof MedicalReasons;

export const SETTLEMENT_REASON_CODES: readonly MedicalReasonCode[] = [
  'CARD_UNKNOWN',
  'CARD_NOT_ACTIVE',
  'CARD_LOST',
  'CARD_CANCELLED',
  'CARD_REPLACED',
  'CARD_LOCKED',
  'MEDICAL_CODE_UNKNOWN',
  'MEDICAL_CODE_EXPIRED',
  'MEDICAL_CODE_USED',
  'OCCURRED_IN_FUTURE',
  'MEDICAL_POLICY_NOT_IN_FORCE',
  'MEDICAL_CATALOGUE_NOT_IN_FORCE',
  'INSUFFICIENT_BALANCE',
];
export const REVERSAL_REASON_CODES: readonly MedicalReasonCode[] = ['ALREADY_REVERSED', 'NOTHING_TO_REVERSE'];

export function medicalReason(code: MedicalReasonCode): Reason<MedicalReasonCode> {
  return { code, message: MedicalReasons[code] };
}
