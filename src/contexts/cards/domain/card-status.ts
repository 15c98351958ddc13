/**
 * Card status (REFERENCE.md §4): 0 sealed, 1 active, 2 formal loss, 3 application locked,
 * 4 temporary loss; plus cancelled (注销) and replaced (its replacement was activated).
 */
export const CARD_STATUSES = ['SEALED', 'ACTIVE', 'TEMPORARY_LOSS', 'FORMAL_LOSS', 'APPLICATION_LOCKED', 'CANCELLED', 'REPLACED'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/**
 * Operator operations: activate (启用), temporary loss report (临时挂失), formal loss report
 * (正式挂失), cancel loss report (解挂), cancel the card (注销), and lock / unlock the card's
 * applications (应用锁定) at a staffed window.
 */
export const CARD_OPERATIONS = ['ACTIVATE', 'TEMPORARY_LOSS', 'FORMAL_LOSS', 'CANCEL_LOSS', 'CANCEL', 'LOCK', 'UNLOCK'] as const;
export type CardOperation = (typeof CARD_OPERATIONS)[number];

/** from status → operation → to status. Anything not listed is refused. */
export const CARD_TRANSITIONS: Readonly<Record<CardStatus, Partial<Record<CardOperation, CardStatus>>>> = {
  SEALED: { ACTIVATE: 'ACTIVE', CANCEL: 'CANCELLED' },
  ACTIVE: { TEMPORARY_LOSS: 'TEMPORARY_LOSS', FORMAL_LOSS: 'FORMAL_LOSS', CANCEL: 'CANCELLED', LOCK: 'APPLICATION_LOCKED' },
  TEMPORARY_LOSS: { FORMAL_LOSS: 'FORMAL_LOSS', CANCEL_LOSS: 'ACTIVE', CANCEL: 'CANCELLED' },
  FORMAL_LOSS: { CANCEL_LOSS: 'ACTIVE', CANCEL: 'CANCELLED' },
  APPLICATION_LOCKED: { UNLOCK: 'ACTIVE', TEMPORARY_LOSS: 'TEMPORARY_LOSS', FORMAL_LOSS: 'FORMAL_LOSS', CANCEL: 'CANCELLED' },
  CANCELLED: {},
  REPLACED: {},
};

/** Facts besides the status that can refuse an operation. */
export interface StatusFacts {
  status: CardStatus;
  /** A sealed replacement card for this card exists: the loss can no longer be cancelled, nor the card. */
  pendingReplacement: boolean;
}

export type StatusDecision =
  { allowed: true; from: CardStatus; to: CardStatus } | { allowed: false; from: CardStatus; detail: string; allowedOperations: CardOperation[] };

export function allowedOperations(facts: StatusFacts): CardOperation[] {
  return CARD_OPERATIONS.filter((op) => CARD_TRANSITIONS[facts.status][op] !== undefined && !blockedByReplacement(facts, op));
}

function blockedByReplacement(facts: StatusFacts, op: CardOperation): boolean {
  return facts.pendingReplacement && (op === 'CANCEL_LOSS' || op === 'CANCEL');
}

export function decideStatusChange(facts: StatusFacts, operation: CardOperation): StatusDecision {
  const to = CARD_TRANSITIONS[facts.status][operation];
  if (to === undefined) {
    return {
      allowed: false,
      from: facts.status,
      detail: `${operation} is not allowed for a card in status ${facts.status}.`,
      allowedOperations: allowedOperations(facts),
    };
  }
  if (blockedByReplacement(facts, operation)) {
    return {
      allowed: false,
      from: facts.status,
      detail: `${operation} is not allowed while a replacement card is pending; cancel the replacement card first.`,
      allowedOperations: allowedOperations(facts),
    };
  }
  return { allowed: true, from: facts.status, to };
}

/** A replacement needs a formal loss report first (REFERENCE.md §4). */
export function replacementProblem(old: StatusFacts): string | null {
  if (old.status !== 'FORMAL_LOSS') return `A replacement needs a formal loss report first; the card is ${old.status}.`;
  if (old.pendingReplacement) return 'A replacement card for this card is already pending.';
  return null;
}

/** Activating a replacement card invalidates the old card, which must still be formally lost. */
export function replacementActivationProblem(oldStatus: CardStatus): string | null {
  return oldStatus === 'FORMAL_LOSS' ? null : `The card it replaces is ${oldStatus}, not FORMAL_LOSS; it cannot be replaced.`;
}

/** Cards that still count as the holder's card (one per holder). */
export function isLive(status: CardStatus): boolean {
  return status !== 'CANCELLED' && status !== 'REPLACED';
}
