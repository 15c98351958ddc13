/**
 * A well-formed command that the rules refuse is not an error: it is a DENY decision with a
 * machine-readable reason code (UPPER_SNAKE) and a human message, journaled like an ALLOW.
 */
export type DecisionKind = 'ALLOW' | 'DENY';

export interface Reason<Code extends string = string> {
  code: Code;
  message: string;
}

export interface RuleRef {
  id: string;
  version: number;
}

export const REASON_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** Reason codes every context shares (card checks). Contexts add their own. */
export const CardReasons = {
  CARD_UNKNOWN: 'No card with this number is registered.',
  CARD_NOT_ACTIVE: 'The card has not been activated.',
  CARD_LOST: 'The card has been reported lost.',
  CARD_CANCELLED: 'The card has been cancelled.',
  CARD_REPLACED: 'The card was replaced by a new card.',
  CARD_LOCKED: 'The card is locked.',
} as const;
export type CardReasonCode = keyof typeof CardReasons;

/**
 * What the journal keeps of a decision so it can be explained and replayed later (ADR 0005):
 * the inputs (no personal data), the facts read from state at decision time, the computed outcome,
 * and the name of the rule that produced it. Replay recomputes `outcome` from `input` + `facts`
 * with the recorded rule set version and compares.
 */
export interface DecisionDetails {
  input: Record<string, unknown>;
  facts: Record<string, unknown>;
  outcome: Record<string, unknown>;
  /** Which rule decided, e.g. `entry.balance-below-terminus-fare`, `fare.od-table`. */
  rule?: string;
}
