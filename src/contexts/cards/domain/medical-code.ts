/**
 * The 医保码 (medical-insurance e-voucher QR token): valid 60 s from issue, used once.
 */
export const MEDICAL_CODE_TTL_MS = 60_000;
export const MEDICAL_CODE_PATTERN = /^[A-Za-z0-9_-]{20,64}$/;

export const MedicalCodeReasons = {
  MEDICAL_CODE_UNKNOWN: 'The medical-insurance code is not known.',
  MEDICAL_CODE_EXPIRED: 'The medical-insurance code has expired; show a fresh one.',
  MEDICAL_CODE_USED: 'The medical-insurance code has already been used.',
} as const;
export type MedicalCodeReasonCode = keyof typeof MedicalCodeReasons;

/** Why a stored code cannot be used now, or null if it can. Used beats expired: it was once good. */
export function medicalCodeRefusal(code: { usedAt: Date | null; expiresAt: Date } | null, now: Date): MedicalCodeReasonCode | null {
  if (!code) return 'MEDICAL_CODE_UNKNOWN';
  if (code.usedAt) return 'MEDICAL_CODE_USED';
  if (now.getTime() >= code.expiresAt.getTime()) return 'MEDICAL_CODE_EXPIRED';
  return null;
}
