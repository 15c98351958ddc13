import type { DecisionDetails, DecisionKind, Reason, Region, RuleRef } from '@onecard/kernel';
import type { AlreadyReversed, Leg, LedgerRefusal } from '@onecard/ledger';
import type { CommandTx } from './command-tx.js';
import type { Read } from './read.js';

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

/** What a command decided, for the engine to journal and commit. */
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
  /** Regions to tag the record with beyond those of the accounts it moves. */
  regions?: Region[];
  /**
   * What decided it, for explanation and replay: the inputs (no PII), the facts read from state,
   * the outcome and which rule produced it.
   */
  details?: DecisionDetails | null;
  /**
   * The DENY to record instead if a balance rule refuses the transfers at commit (the command's own
   * locked check should have caught it; this keeps a race a decision, never a 500).
   */
  onLedgerRefusal?: (refusal: LedgerRefusal) => CommandOutcome<R>;
  /** The DENY (reason `ALREADY_REVERSED`) to record if the group named in `reverses` has been reversed already. */
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

/** The declared reads of a plan, by name. */
export type Reads = Record<string, Read<unknown>>;

/** What the declared reads answered, by the same names (any for a plan typed loosely as `CommandPlan<R, any>`). */
export type Facts<D extends Reads> = 0 extends 1 & D ? any : { [K in keyof D]: D[K] extends Read<infer T> ? T : never };

/**
 * A command as the engine runs it (ADR 0012): the envelope, the reads it declares (sent, for the
 * whole batch, with BEGIN), and the step that decides on what they answered. A plan with
 * `batchKeys` may share a transaction with others (group commit): its `decide` gets only its
 * declared reads — `tx.query` throws — and its writes go with the commit (`tx.defer`). A plan
 * without batch keys runs alone and may also query inside its transaction (admin commands, jobs).
 */
export interface CommandPlan<R, D extends Reads = any> {
  envelope: CommandEnvelope;
  reads?: D;
  /**
   * The keys of everything the command reads and changes that another batched command could also
   * touch (e.g. `card:<cardNo>`): commands sharing a key never share a batch, nor run in two
   * batches at once; a batch locks in the order of its commands' first keys.
   */
  batchKeys?: readonly string[];
  decide(facts: Facts<D>, tx: CommandTx): CommandOutcome<R> | Promise<CommandOutcome<R>>;
}

export function commandKey(type: string, id: string): string {
  return `${type}:${id}`;
}

/** Formats the journal relies on (checked here rather than by CHECK constraints on every insert). */
export const COMMAND_TYPE_PATTERN = /^[a-z]+(\.[a-z-]+)+$/;
export const COMMAND_ID_PATTERN = /^[A-Za-z0-9_:.-]{1,128}$/;

export function validateEnvelope(envelope: CommandEnvelope): void {
  if (!COMMAND_TYPE_PATTERN.test(envelope.type)) throw new Error(`bad command type "${envelope.type}" (dotted lower case, e.g. transit.tap)`);
  if (!COMMAND_ID_PATTERN.test(envelope.id)) throw new Error(`${envelope.type}: bad command id "${envelope.id}"`);
  if (!envelope.context) throw new Error(`${envelope.type}: the envelope names no context`);
}
