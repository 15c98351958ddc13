import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { canonicalJson, CLOCK, ProblemError, Problems, REASON_CODE_PATTERN, sha256Hex, type Clock } from '@onecard/kernel';
import type { PoolClient } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { commandKey, type CommandEnvelope, type CommandOutcome, type CommandResult } from './command.js';
import { CommandTx, type Prefetch } from './command-tx.js';
import { validateLegs, type AlreadyReversed, type LedgerRefusal } from './domain/transfer.js';
import { PreparedStatements, type Statement } from './prepared-statements.js';
import { sqlLiteral } from './sql-literal.js';

interface StoredCommand {
  payload_hash: string;
  http_status: number;
  response: unknown;
  decision: 'ALLOW' | 'DENY';
  reason_code: string | null;
}

/** What `ledger.commit_command` answers once the record is appended. */
export interface CommitReceipt {
  chain: number;
  /** Sequence number of the journal record; its entries follow it on the same chain. */
  seq: number;
  lastSeq: number;
  hash: string;
  committedAt: string;
  regions: string[];
}

/** SQLSTATE raised by `ledger.commit_command` when the ledger refuses (detail: the refusal as JSON). */
export const LEDGER_REFUSAL_SQLSTATE = 'LDG01';

/** Serialization failure, deadlock, and unique violations of the context's own tables: run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;
/**
 * Read committed whatever the server's default: commit_command reads the chain head it has just
 * claimed and must see the commit of the previous holder (ADR 0003).
 */
const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';
const STORED_COLUMNS = 'payload_hash, http_status, response, decision, reason_code';
const STORED_COMMAND = 'SELECT * FROM ledger.stored_command($1, $2)';

type Refusal = LedgerRefusal | AlreadyReversed;

/** How the executor may commit concurrent commands together (ADR 0003 "Group commit"). */
export interface LedgerOptions {
  groupCommit: {
    enabled: boolean;
    /** Commands in one transaction at most. */
    maxBatch: number;
    /** Batches in flight at once (each on its own connection). */
    maxConcurrentBatches: number;
  };
}

export const LEDGER_OPTIONS = Symbol('LEDGER_OPTIONS');
export const DEFAULT_LEDGER_OPTIONS: LedgerOptions = { groupCommit: { enabled: true, maxBatch: 32, maxConcurrentBatches: 4 } };

export interface ExecuteOptions {
  /** Reads `work` will need, sent with BEGIN (see `execute`). */
  prefetch?: readonly Prefetch<unknown>[];
  /**
   * Lets the command be committed together with others (group commit): the keys of everything it
   * reads and changes that another batched command could also touch (e.g. `card:<cardNo>`).
   * Commands sharing a key never share a batch, nor run in two batches at once. Only for commands
   * whose reads are all declared (`prefetch`) and whose writes are all deferred (`tx.defer`).
   */
  batchKeys?: readonly string[];
}

interface Pending {
  envelope: CommandEnvelope;
  work: (tx: CommandTx) => Promise<CommandOutcome<any>>;
  opts: ExecuteOptions;
  keys: string[];
  resolve(result: CommandResult<any>): void;
  reject(error: unknown): void;
}

/**
 * Runs a command exactly once per (type, id), ADR 0003:
 *  - a stored result for the id is replayed (same status, same body) if the payload digest
 *    matches, and is a 409 if it does not;
 *  - otherwise the work runs in one transaction that ends with `ledger.commit_command`, which
 *    posts the transfers and appends the hash-chained journal record;
 *  - two racing identical commands meet on the journal's unique key: the loser rolls back and
 *    replays the winner's stored result. A retry after a lost COMMIT acknowledgement finds the
 *    stored result the same way;
 *  - a refusal by the ledger (a balance rule, a second reversal) voids the whole transaction and
 *    the command's refusal outcome is journaled as a DENY instead.
 *
 * The transaction costs two round trips besides the context's own queries: `BEGIN` with the
 * look-up of a stored result, and `commit_command` with `COMMIT` (simple-protocol statements with
 * the values inlined as escaped literals; ADR 0003 "Throughput").
 */
@Injectable()
export class CommandExecutor {
  private readonly logger = new Logger(CommandExecutor.name);
  private readonly statements = new PreparedStatements();
  private readonly options: LedgerOptions;
  private readonly queue: Pending[] = [];
  private readonly busyKeys = new Set<string>();
  private batchesInFlight = 0;
  /** Group commit so far: transactions of two or more commands, the commands in them, batches that fell back. */
  readonly groupCommitStats = { batches: 0, commands: 0, fallbacks: 0 };

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(LEDGER_OPTIONS) options?: LedgerOptions,
  ) {
    this.options = options ?? DEFAULT_LEDGER_OPTIONS;
  }

  static payloadHash(envelope: Pick<CommandEnvelope, 'terminalId' | 'payload'>): string {
    return sha256Hex(canonicalJson({ terminal: envelope.terminalId ?? null, payload: envelope.payload ?? null }));
  }

  /**
   * `opts.prefetch`: reads `work` will need, sent with BEGIN and the stored-result look-up in the
   * first round trip (`tx.prefetched(p)` answers them). With writes deferred by `tx.defer` to the
   * committing round trip, a command can take two round trips in all.
   */
  async execute<R>(envelope: CommandEnvelope, work: (tx: CommandTx) => Promise<CommandOutcome<R>>, opts: ExecuteOptions = {}): Promise<CommandResult<R>> {
    validateEnvelope(envelope);
    if (opts.batchKeys && this.options.groupCommit.enabled) {
      return new Promise<CommandResult<R>>((resolve, reject) => {
        this.queue.push({ envelope, work, opts, keys: [commandKey(envelope.type, envelope.id), ...opts.batchKeys!], resolve, reject });
        this.pump();
      });
    }
    return this.executeAlone(envelope, work, opts);
  }

  /**
   * Group commit: while batches are in flight, commands queue; each free slot takes every queued
   * command whose keys are free (up to `maxBatch`) into one transaction — two round trips and one
   * COMMIT for all of them. Under light load a batch is one command: no waiting is ever added.
   */
  private pump(): void {
    const { maxBatch, maxConcurrentBatches } = this.options.groupCommit;
    while (this.batchesInFlight < maxConcurrentBatches && this.queue.length > 0) {
      const batch: Pending[] = [];
      const keys = new Set<string>();
      for (let i = 0; i < this.queue.length && batch.length < maxBatch;) {
        const p = this.queue[i]!;
        if (p.keys.some((k) => this.busyKeys.has(k) || keys.has(k))) {
          i++;
          continue;
        }
        for (const k of p.keys) keys.add(k);
        batch.push(p);
        this.queue.splice(i, 1);
      }
      if (batch.length === 0) return;
      for (const k of keys) this.busyKeys.add(k);
      this.batchesInFlight++;
      // One lock order for the rows the batch's reads lock: the commands' own keys, sorted.
      batch.sort((a, b) => (a.keys[1]! < b.keys[1]! ? -1 : a.keys[1]! > b.keys[1]! ? 1 : 0));
      void this.runBatch(batch).finally(() => {
        for (const k of keys) this.busyKeys.delete(k);
        this.batchesInFlight--;
        this.pump();
      });
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [p] = batch as [Pending];
      await this.executeAlone(p.envelope, p.work, p.opts).then(p.resolve, p.reject);
      return;
    }
    const settled: (() => void)[] = [];
    const runner = this.dataSource.createQueryRunner();
    let client: PoolClient | null = null;
    let open = false;
    let broken: unknown = undefined;
    let failed: unknown = undefined;
    try {
      client = (await runner.connect()) as PoolClient;
      const prepares: string[] = [];
      const reads = batch.map((p) =>
        [{ sql: STORED_COMMAND, params: [p.envelope.type, p.envelope.id] }, ...(p.opts.prefetch ?? [])].map((s) =>
          this.statements.render(client!, s, prepares),
        ),
      );
      const results = (await this.send(client, [BEGIN, ...prepares, ...reads.flat()])) as { rows: any[] }[];
      open = true;
      markTransaction(runner, true);
      let at = 1 + prepares.length;
      const commits: string[] = [];
      const writes: Statement[] = [];
      const hooks: (() => void | Promise<void>)[] = [];
      for (const p of batch) {
        const prefetches = p.opts.prefetch ?? [];
        const stored = results[at]!.rows[0] as StoredCommand | undefined;
        const fetched = results.slice(at + 1, at + 1 + prefetches.length);
        at += 1 + prefetches.length;
        const payloadHash = CommandExecutor.payloadHash(p.envelope);
        if (stored) {
          settled.push(() => {
            try {
              p.resolve(this.replay(stored, payloadHash, p.envelope.id));
            } catch (error) {
              p.reject(error);
            }
          });
          continue;
        }
        const tx = new CommandTx(runner, this.clock.now());
        prefetches.forEach((q, i) => tx.setPrefetched(q, fetched[i]!.rows));
        const outcome = await p.work(tx);
        writes.push(...tx.takeDeferred());
        commits.push(this.commitStatement(p.envelope, payloadHash, outcome, tx.now));
        hooks.push(...tx.takeAfterCommitHooks());
        settled.push(() =>
          p.resolve({
            response: outcome.response,
            httpStatus: outcome.httpStatus ?? 200,
            decision: outcome.decision,
            reasonCode: outcome.reason?.code ?? null,
            replayed: false,
          }),
        );
      }
      const commitPrepares: string[] = [];
      const rendered = writes.map((s) => this.statements.render(client!, s, commitPrepares));
      await this.send(client, commits.length > 0 ? [...commitPrepares, ...rendered, ...commits, 'COMMIT'] : ['ROLLBACK']);
      open = false;
      markTransaction(runner, false);
      for (const hook of hooks) await Promise.resolve(hook()).catch((err: unknown) => this.logger.warn({ err }, 'after-commit hook failed'));
    } catch (error) {
      failed = error;
      if (open && client) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
      }
      markTransaction(runner, false);
    } finally {
      await releaseRunner(runner, broken);
    }
    if (failed === undefined) {
      this.groupCommitStats.batches += 1;
      this.groupCommitStats.commands += batch.length;
      for (const settle of settled) settle();
      return;
    }
    this.groupCommitStats.fallbacks += 1;
    // Something in the batch failed (a refusal by the ledger, a conflict, a deadlock, a broken
    // connection): each command runs again on its own, and finds its result if the batch did commit.
    await Promise.all(batch.map((p) => this.executeAlone(p.envelope, p.work, p.opts).then(p.resolve, p.reject)));
  }

  private async executeAlone<R>(
    envelope: CommandEnvelope,
    work: (tx: CommandTx) => Promise<CommandOutcome<R>>,
    opts: ExecuteOptions,
  ): Promise<CommandResult<R>> {
    const payloadHash = CommandExecutor.payloadHash(envelope);
    const lookup: Statement = { sql: STORED_COMMAND, params: [envelope.type, envelope.id] };
    const prefetches = opts.prefetch ?? [];

    for (let attempt = 1; ; attempt++) {
      const runner = this.dataSource.createQueryRunner();
      let client: PoolClient | null = null;
      let open = false;
      let broken: unknown = undefined;
      try {
        client = (await runner.connect()) as PoolClient;
        const prepares: string[] = [];
        const executes = [lookup, ...prefetches].map((s) => this.statements.render(client!, s, prepares));
        const results = (await this.send(client, [BEGIN, ...prepares, ...executes])) as { rows: any[] }[];
        const [found, ...fetched] = results.slice(1 + prepares.length);
        open = true;
        if (found!.rows[0]) {
          await client.query('ROLLBACK');
          open = false;
          return this.replay<R>(found!.rows[0] as StoredCommand, payloadHash, envelope.id);
        }
        markTransaction(runner, true);
        const tx = new CommandTx(runner, this.clock.now());
        prefetches.forEach((p, i) => tx.setPrefetched(p, fetched[i]!.rows));
        let outcome = await work(tx);
        try {
          await this.commit(client, envelope, payloadHash, outcome, tx.now, false, tx.takeDeferred());
          open = false;
        } catch (error) {
          // The transaction is void either way (a refusal raises inside commit_command).
          await client.query('ROLLBACK');
          open = false;
          markTransaction(runner, false);
          const refusal = await this.refusalOf(error, client, outcome);
          if (!refusal) throw error;
          // The ledger refused: the context's change is gone too (and what it meant to announce);
          // record the DENY instead.
          tx.takeAfterCommitHooks();
          outcome = { ...this.refusalOutcome(envelope, outcome, refusal), transfers: [] };
          open = true;
          await this.commit(client, envelope, payloadHash, outcome, tx.now, true, []);
          open = false;
        }
        markTransaction(runner, false);
        for (const hook of tx.takeAfterCommitHooks()) {
          await Promise.resolve(hook()).catch((err: unknown) => this.logger.warn({ err }, 'after-commit hook failed'));
        }
        return {
          response: outcome.response,
          httpStatus: outcome.httpStatus ?? 200,
          decision: outcome.decision,
          reasonCode: outcome.reason?.code ?? null,
          replayed: false,
        };
      } catch (error) {
        if (open && client) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError; // never hand a connection in an unknown state back to the pool
          });
        }
        markTransaction(runner, false);
        const code = sqlState(error);
        if (code === '23505' && constraintOf(error) === 'journal_command_key') {
          // A racing twin committed first: answer as it did (on this connection, not a second one from the pool).
          const winner =
            client && broken === undefined
              ? (((await client.query(STORED_COMMAND, [envelope.type, envelope.id])).rows[0] as StoredCommand | undefined) ?? null)
              : await this.find(envelope.type, envelope.id);
          if (winner) return this.replay<R>(winner, payloadHash, envelope.id);
        }
        if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await sleep(attempt * 5 + Math.floor(Math.random() * 10));
          continue;
        }
        throw error;
      } finally {
        await releaseRunner(runner, broken);
      }
    }
  }

  /** The stored result of a command, if it ran. */
  async find(type: string, id: string): Promise<StoredCommand | null> {
    const rows: StoredCommand[] = await this.dataSource.query(`SELECT ${STORED_COLUMNS} FROM ledger.journal WHERE command_type = $1 AND command_id = $2`, [
      type,
      id,
    ]);
    return rows[0] ?? null;
  }

  private replay<R>(stored: StoredCommand, payloadHash: string, id: string): CommandResult<R> {
    if (stored.payload_hash !== payloadHash) throw Problems.idempotencyConflict(id);
    return {
      response: stored.response as R,
      httpStatus: stored.http_status,
      decision: stored.decision,
      reasonCode: stored.reason_code,
      replayed: true,
    };
  }

  /** The ledger's refusal carried by `error`, or null if `error` is something else. */
  private async refusalOf<R>(error: unknown, client: PoolClient, outcome: CommandOutcome<R>): Promise<Refusal | null> {
    const code = sqlState(error);
    if (code === LEDGER_REFUSAL_SQLSTATE) {
      const detail = (error as { detail?: string }).detail;
      return detail ? (JSON.parse(detail) as Refusal) : null;
    }
    // Two reversals of one group racing: the loser meets the unique index.
    if (code === '23505' && constraintOf(error) === 'journal_reverses_once' && outcome.reverses) {
      const rows = await client.query<{ key: string }>(
        `SELECT command_type || ':' || command_id AS key FROM ledger.journal WHERE reverses = $1 AND decision = 'ALLOW'`,
        [outcome.reverses],
      );
      return { code: 'ALREADY_REVERSED', reverses: outcome.reverses, reversedBy: rows.rows[0]?.key ?? null };
    }
    return null;
  }

  private refusalOutcome<R>(envelope: CommandEnvelope, outcome: CommandOutcome<R>, refusal: Refusal): CommandOutcome<R> {
    if (refusal.code === 'ALREADY_REVERSED') {
      if (!outcome.onAlreadyReversed) {
        throw new ProblemError({
          type: '/problems/already-reversed',
          title: 'Already reversed',
          status: 409,
          detail: `${refusal.reverses} has already been reversed by ${refusal.reversedBy ?? 'another command'}.`,
        });
      }
      return outcome.onAlreadyReversed(refusal);
    }
    if (!outcome.onLedgerRefusal) {
      throw new Error(`${envelope.type} ${envelope.id}: ledger refused ${refusal.account} (${refusal.code}) and the command has no refusal outcome`);
    }
    return outcome.onLedgerRefusal(refusal);
  }

  /**
   * The handler's deferred writes, `commit_command` and COMMIT in one round trip. A refusal raises
   * inside the function, so the COMMIT never runs and the transaction is left for the caller to
   * roll back.
   */
  private async commit<R>(
    client: PoolClient,
    envelope: CommandEnvelope,
    payloadHash: string,
    outcome: CommandOutcome<R>,
    now: Date,
    begin: boolean,
    deferred: readonly Statement[],
  ): Promise<CommitReceipt> {
    const commit = this.commitStatement(envelope, payloadHash, outcome, now);
    const prepares: string[] = [];
    const writes = deferred.map((s) => this.statements.render(client, s, prepares));
    const before = [...(begin ? [BEGIN] : []), ...prepares, ...writes];
    const results = (await this.send(client, [...before, commit, 'COMMIT'])) as { rows: { receipt: CommitReceipt }[] }[];
    return results[before.length]!.rows[0]!.receipt;
  }

  /** `SELECT ledger.commit_command(…)` for an outcome, after checking the outcome is well formed. */
  private commitStatement<R>(envelope: CommandEnvelope, payloadHash: string, outcome: CommandOutcome<R>, now: Date): string {
    const legs = outcome.transfers ?? [];
    validateLegs(legs);
    if (outcome.decision === 'DENY' && !outcome.reason) throw new Error(`${envelope.type}: a DENY needs a reason`);
    if (outcome.decision === 'DENY' && legs.length > 0) throw new Error(`${envelope.type}: a DENY moves no money`);
    if (outcome.decision === 'ALLOW' && outcome.reason) throw new Error(`${envelope.type}: an ALLOW has no reason code`);
    if (outcome.reason && !REASON_CODE_PATTERN.test(outcome.reason.code))
      throw new Error(`${envelope.type}: reason code "${outcome.reason.code}" is not UPPER_SNAKE`);
    const cmd = {
      type: envelope.type,
      id: envelope.id,
      context: envelope.context,
      terminalId: envelope.terminalId ?? null,
      actor: envelope.actor ?? null,
      decision: outcome.decision,
      reasonCode: outcome.reason?.code ?? null,
      ruleSetId: outcome.ruleSet?.id ?? null,
      ruleVersion: outcome.ruleSet?.version ?? null,
      payloadHash,
      subject: outcome.subject ?? null,
      reverses: outcome.reverses ?? null,
      regions: outcome.regions ?? [],
      eventTime: (envelope.eventTime ?? now).toISOString(),
      httpStatus: outcome.httpStatus ?? 200,
      details: outcome.details ?? null,
    };
    return (
      `SELECT ledger.commit_command(${sqlLiteral(JSON.stringify(cmd))}::jsonb, ` +
      `${sqlLiteral(JSON.stringify(legs))}::jsonb, ${sqlLiteral(JSON.stringify(outcome.response ?? null))}::json) AS receipt`
    );
  }

  /**
   * Several statements in one round trip (simple query protocol). If it fails, the connection
   * forgets the statements it may have prepared in it.
   */
  private async send(client: PoolClient, statements: readonly string[]): Promise<unknown[]> {
    try {
      return (await client.query(statements.join('; '))) as unknown as unknown[];
    } catch (error) {
      this.statements.forget(client);
      throw error;
    }
  }
}

export { commandKey };

/** Formats the journal relies on (checked here rather than by CHECK constraints on every insert). */
export const COMMAND_TYPE_PATTERN = /^[a-z]+(\.[a-z-]+)+$/;
export const COMMAND_ID_PATTERN = /^[A-Za-z0-9_:.-]{1,128}$/;

function validateEnvelope(envelope: CommandEnvelope): void {
  if (!COMMAND_TYPE_PATTERN.test(envelope.type)) throw new Error(`bad command type "${envelope.type}" (dotted lower case, e.g. transit.tap)`);
  if (!COMMAND_ID_PATTERN.test(envelope.id)) throw new Error(`${envelope.type}: bad command id "${envelope.id}"`);
  if (!envelope.context) throw new Error(`${envelope.type}: the envelope names no context`);
}

/**
 * The executor runs BEGIN/COMMIT on the driver connection itself; TypeORM's runner must still
 * know it is inside a transaction, or an EntityManager call in `work` (save, transaction) would
 * open and commit one of its own in the middle of ours. Nested `manager.transaction()` calls then
 * become savepoints, as with `startTransaction()`.
 */
function markTransaction(runner: QueryRunner, active: boolean): void {
  const r = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  r.isTransactionActive = active;
  r.transactionDepth = active ? 1 : 0;
}

async function releaseRunner(runner: QueryRunner, error: unknown): Promise<void> {
  const r = runner as unknown as { releasePostgresConnection?: (err?: unknown) => Promise<void> };
  if (error !== undefined && r.releasePostgresConnection) await r.releasePostgresConnection(error);
  else await runner.release();
}

function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

function constraintOf(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = e?.driverError?.constraint ?? e?.constraint;
  return typeof c === 'string' ? c : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
