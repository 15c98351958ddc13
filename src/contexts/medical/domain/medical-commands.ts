/** The journal's command types of the medical context (ADR 0012: `<CONTEXT>_COMMANDS`, one table per context). */
export const MEDICAL_COMMANDS = {
  /** A settlement at a clinic counter (一卡通结), idempotent per settlementId. */
  settle: 'medical.settle',
  /** The reversal of a whole settlement (冲正), idempotent per reversalId. */
  reverseSettlement: 'medical.reverse-settlement',
} as const;
