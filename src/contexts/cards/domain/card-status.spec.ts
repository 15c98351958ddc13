import { CardReasons } from '@onecard/kernel';
import { cardStatusRefusal } from './card-status-refusal.rule.js';
import {
  allowedOperations,
  CARD_OPERATIONS,
  CARD_STATUSES,
  decideStatusChange,
  isLive,
  replacementActivationProblem,
  replacementProblem,
  type CardOperation,
  type CardStatus,
} from './card-status.js';

/** The table from REFERENCE.md §4, written out independently of the implementation. */
const ALLOWED: [CardStatus, CardOperation, CardStatus][] = [
  ['SEALED', 'ACTIVATE', 'ACTIVE'],
  ['SEALED', 'CANCEL', 'CANCELLED'],
  ['ACTIVE', 'TEMPORARY_LOSS', 'TEMPORARY_LOSS'],
  ['ACTIVE', 'FORMAL_LOSS', 'FORMAL_LOSS'],
  ['ACTIVE', 'CANCEL', 'CANCELLED'],
  ['ACTIVE', 'LOCK', 'APPLICATION_LOCKED'],
  ['TEMPORARY_LOSS', 'FORMAL_LOSS', 'FORMAL_LOSS'],
  ['TEMPORARY_LOSS', 'CANCEL_LOSS', 'ACTIVE'],
  ['TEMPORARY_LOSS', 'CANCEL', 'CANCELLED'],
  ['FORMAL_LOSS', 'CANCEL_LOSS', 'ACTIVE'],
  ['FORMAL_LOSS', 'CANCEL', 'CANCELLED'],
  ['APPLICATION_LOCKED', 'UNLOCK', 'ACTIVE'],
  ['APPLICATION_LOCKED', 'TEMPORARY_LOSS', 'TEMPORARY_LOSS'],
  ['APPLICATION_LOCKED', 'FORMAL_LOSS', 'FORMAL_LOSS'],
  ['APPLICATION_LOCKED', 'CANCEL', 'CANCELLED'],
];

const key = (s: CardStatus, op: CardOperation) => `${s} ${op}`;
const allowedKeys = new Set(ALLOWED.map(([s, op]) => key(s, op)));
const REFUSED = CARD_STATUSES.flatMap((s) => CARD_OPERATIONS.filter((op) => !allowedKeys.has(key(s, op))).map((op) => [s, op] as [CardStatus, CardOperation]));

describe('card status transitions', () => {
  it('covers all 49 status × operation pairs: 15 allowed, 34 refused', () => {
    expect(ALLOWED).toHaveLength(15);
    expect(REFUSED).toHaveLength(34);
  });

  it.each(ALLOWED)('%s --%s--> %s', (from, op, to) => {
    expect(decideStatusChange({ status: from, pendingReplacement: false }, op)).toEqual({ allowed: true, from, to });
  });

  it.each(REFUSED)('%s refuses %s, naming the operations it allows', (from, op) => {
    const decision = decideStatusChange({ status: from, pendingReplacement: false }, op);
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.detail).toContain(from);
    expect(decision.allowedOperations).toEqual(
      ALLOWED.filter(([s]) => s === from)
        .map(([, o]) => o)
        .sort((a, b) => CARD_OPERATIONS.indexOf(a) - CARD_OPERATIONS.indexOf(b)),
    );
  });

  it('refuses cancelling the loss or the card while a replacement is pending, but allows nothing else new', () => {
    const facts = { status: 'FORMAL_LOSS' as const, pendingReplacement: true };
    expect(decideStatusChange(facts, 'CANCEL_LOSS')).toMatchObject({ allowed: false, allowedOperations: [] });
    expect(decideStatusChange(facts, 'CANCEL')).toMatchObject({ allowed: false });
    expect(allowedOperations(facts)).toEqual([]);
  });

  it('needs a formal loss report before a replacement, and only one pending replacement', () => {
    expect(replacementProblem({ status: 'FORMAL_LOSS', pendingReplacement: false })).toBeNull();
    for (const s of CARD_STATUSES.filter((x) => x !== 'FORMAL_LOSS')) {
      expect(replacementProblem({ status: s, pendingReplacement: false })).toContain(s);
    }
    expect(replacementProblem({ status: 'FORMAL_LOSS', pendingReplacement: true })).toContain('already pending');
    expect(replacementActivationProblem('FORMAL_LOSS')).toBeNull();
    expect(replacementActivationProblem('ACTIVE')).toContain('ACTIVE');
  });

  it('counts cancelled and replaced cards as no longer live', () => {
    expect(CARD_STATUSES.filter(isLive)).toEqual(['SEALED', 'ACTIVE', 'TEMPORARY_LOSS', 'FORMAL_LOSS', 'APPLICATION_LOCKED']);
  });

  it.each([
    [null, 'CARD_UNKNOWN'],
    ['SEALED', 'CARD_NOT_ACTIVE'],
    ['TEMPORARY_LOSS', 'CARD_LOST'],
    ['FORMAL_LOSS', 'CARD_LOST'],
    ['APPLICATION_LOCKED', 'CARD_LOCKED'],
    ['CANCELLED', 'CARD_CANCELLED'],
    ['REPLACED', 'CARD_REPLACED'],
  ] as [CardStatus | null, keyof typeof CardReasons][])('refuses a %s card with %s', (status, code) => {
    expect(cardStatusRefusal(status ? { status } : null)).toEqual({ code, message: CardReasons[code] });
  });

  it('lets an ACTIVE card through', () => {
    expect(cardStatusRefusal({ status: 'ACTIVE' })).toBeNull();
  });
});
