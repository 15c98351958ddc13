import type { DecisionDetails, DecisionKind, Reason, Region, RuleRef } from '@onecard/kernel';
import type { AlreadyReversed, Leg, LedgerRefusal } from './domain/transfer.js';

/** What identifies a command and what was asked: the idempotency key and the payload digest. */
export interface CommandEnvelope {
  /** Dotted command type, e.g. `transit.tap`, `medical.settle`, `cards.top-up`. */
  type: string;
  /** The client-generated id (`tapId`, `settlementId`, …) or a system id for jobs. */
  id: string;
  context: string;
  terminalId?: string | null;
  /** Admin actor (role and token digest) for admin commands. */
  actor?: string | null;
  /** The request as received; hashed (with the terminal id) to tell a retry from a reuse. */
  payload: unknown;
  /** When it happened at the terminal (tappedAt, occurredAt); defaults to the clock. */
  eventTime?: Date;
}

/** What a command handler decided, for the executor to journal and commit. */
export interface CommandOutcome<R> {
  decision: DecisionKind;
  reason?: Reason;
  ruleSet?: RuleRef | null;
  /** The body returned now and replayed byte-for-byte on every retry. */
  response: R;
  httpStatus?: number;
  /** Money moved by this command, posted atomically with the journal record. */
  transfers?: Leg[];
  /** Whose history this belongs to (a card number), for `GET /v1/admin/cards/{cardNo}/history`. */
  subject?: string | null;
  /**
   * The command key (`commandKey(type, id)`) this command reverses. A group is reversed at most
   * once: a second ALLOW reversal is refused (`onAlreadyReversed`). A DENY may name it too (for the
   * record); it does not count as the reversal.
   */
  reverses?: string | null;
  /** Regions to tag the group with beyond those of the accounts it touches. */
  regions?: Region[];
  /**
   * What decided it, for explanation and replay: the inputs (no PII), the facts read from state,
   * the outcome and which rule produced it.
   */
  details?: DecisionDetails | null;
  /**
   * The DENY to record instead if a balance rule refuses the transfers at commit (the context's
   * own locked check should have caught it; this keeps a race a decision, never a 500).
   */
  onLedgerRefusal?: (refusal: LedgerRefusal) => CommandOutcome<R>;
  /**
   * The DENY (reason `ALREADY_REVERSED`) to record if the group named in `reverses` has been
   * reversed already, e.g. by a racing reversal. Without it the executor answers a 409 problem.
   */
  onAlreadyReversed?: (refusal: AlreadyReversed) => CommandOutcome<R>;
}

export interface CommandResult<R> {
  response: R;
  httpStatus: number;
  decision: DecisionKind;
  reasonCode: string | null;
  /** True when this answer is the stored result of an earlier identical command. */
  replayed: boolean;
}

export function commandKey(type: string, id: string): string {
  return `${type}:${id}`;
}
