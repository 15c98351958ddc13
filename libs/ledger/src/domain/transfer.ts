import type { Fen, Region } from '@onecard/kernel';

/** One movement of money: `amount` fen leaves `from` and arrives in `to`. */
export interface Leg {
  from: string;
  to: string;
  amount: Fen;
}

export type BalanceRule = 'NON_NEGATIVE' | 'UNBOUNDED';

export interface AccountSpec {
  /** `card:<cardNo>:transit`, `fund:12:medical-pool`, `institution:<id>:receivable`, `external:bank`, … */
  code: string;
  region: Region | null;
  /** UPPER_SNAKE classification for reports: CARD_TRANSIT, FUND, INSTITUTION_RECEIVABLE, REVENUE, EXTERNAL, … */
  kind: string;
  balanceRule: BalanceRule;
  /** Balance rows to spread a hot account over; only UNBOUNDED accounts may have more than one. */
  shards?: number;
}

export const ACCOUNT_CODE_PATTERN = /^[a-z]+(:[A-Za-z0-9_.-]+)+$/;

export class InvalidTransferError extends Error {}

/** Checks a group of legs before it reaches the database; the database checks again. */
export function validateLegs(legs: readonly Leg[]): void {
  legs.forEach((leg, i) => {
    if (!ACCOUNT_CODE_PATTERN.test(leg.from) || !ACCOUNT_CODE_PATTERN.test(leg.to)) {
      throw new InvalidTransferError(`leg ${i}: bad account code`);
    }
    if (leg.from === leg.to) throw new InvalidTransferError(`leg ${i}: from and to are the same account ${leg.from}`);
    if (!Number.isSafeInteger(leg.amount) || leg.amount <= 0) {
      throw new InvalidTransferError(`leg ${i}: amount must be a positive integer number of fen, got ${leg.amount}`);
    }
  });
}

/** Refusal by a balance rule: nothing was written. */
export interface LedgerRefusal {
  code: 'INSUFFICIENT_BALANCE';
  /** The account that would have gone negative. */
  account: string;
  /** Its balance before the leg that broke the rule (after the group's earlier legs). */
  balance: Fen;
  /** The amount of that leg. */
  required: Fen;
}

/** Refusal of a second reversal of one group (a group is reversed at most once): nothing was written. */
export interface AlreadyReversed {
  code: 'ALREADY_REVERSED';
  /** The command key (`type:id`) that the refused command tried to reverse. */
  reverses: string;
  /** The command key of the reversal that stands. */
  reversedBy: string | null;
}

/** Reason codes the ledger itself can produce, with the message a context may show. */
export const LEDGER_REASONS = {
  INSUFFICIENT_BALANCE: 'The balance is too low for this transfer.',
  ALREADY_REVERSED: 'This transaction has already been reversed.',
} as const;
export type LedgerReasonCode = keyof typeof LEDGER_REASONS;

/**
 * The legs that undo a group: each leg swapped (money goes back from `to` to `from`), last leg
 * first, so an account that passed money on gets it back before it has to return it.
 */
export function reverseLegs(legs: readonly Leg[]): Leg[] {
  return [...legs].reverse().map((leg) => ({ from: leg.to, to: leg.from, amount: leg.amount }));
}
