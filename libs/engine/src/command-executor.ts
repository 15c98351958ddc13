import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { canonicalJson, CLOCK, ProblemError, Problems, REASON_CODE_PATTERN, type Clock } from '@onecard/kernel';
import {
  batchRefusalOf,
  claimCommandsStatement,
  commitBatchStatement,
  compactDetails,
  storedResults,
  validateLegs,
  type AlreadyReversed,
  type JournalInput,
  type LedgerRefusal,
  type StoredResult,
} from '@onecard/ledger';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { BatchScheduler, type BatchOptions } from './batch-scheduler.js';
import { commandKey, validateEnvelope, type CommandEnvelope, type CommandOutcome, type CommandPlan, type CommandResult, type Reads } from './command.js';
import { CommandTx } from './command-tx.js';
import { batchedInsert, batchedRead } from './pg/batch-sql.js';
import { textOf } from './pg/literals.js';
import { PreparedStatements, type Statement } from './pg/prepared-statements.js';
import { RoundTrip } from './pg/round-trip.js';

/** Read committed whatever the server's default: each statement sees what committed before it started (ADR 0012). */
const BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED';
/** Taken after the reads: a refusal at commit rolls back to here and keeps the reads' locks. */
const SAVEPOINT = 'SAVEPOINT oc_writes';
const ROLLBACK_TO_SAVEPOINT = 'ROLLBACK TO SAVEPOINT oc_writes';
/** Serialization failure, deadlock, and unique violations of the context's own tables: run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

export interface EngineOptions {
  groupCommit: BatchOptions;
}

export const ENGINE_OPTIONS = Symbol('ENGINE_OPTIONS');
export const DEFAULT_ENGINE_OPTIONS: EngineOptions = { groupCommit: { enabled: true, maxBatch: 32, maxConcurrentBatches: 4 } };

/** What the engine reports about each transaction it committed, for metrics. */
export interface CommitEvent {
  /** Commands journaled by the transaction (replays not counted). */
  commands: number;
  /** Commands a balance rule or a second reversal refused at commit (journaled as their DENY). */
  refusals: number;
  /** True when the transaction was the fallback of a batch that failed. */
  fallback: boolean;
}

interface Pending {
  plan: CommandPlan<unknown, Reads>;
  /** Batch keys, then the command's own key. */
  keys: string[];
  payloadHash: Buffer;
  resolve(result: CommandResult<unknown>): void;
  reject(error: unknown): void;
}

/** A command of a transaction that has decided and will be journaled. */
interface Live {
  p: Pending;
  outcome: CommandOutcome<unknown>;
  eventTime: Date;
  writes: Statement[];
  hooks: (() => void | Promise<void>)[];
}

type Settle = () => void;

/** Where each command's declared reads are answered: a slot of the opening round trip and the command's position in it. */
type ReadPlacement = Map<string, { slot: number; position: number }>;

/**
 * Runs commands exactly once per (type, id), each in one transaction that journals it, posts its
 * transfers and writes its state together (ADR 0003, ADR 0012):
 *
 *   RT 1  BEGIN; ledger.claim_commands(the batch's ids) — locked, stored results answered;
 *         every declared read of every command, one statement per kind; SAVEPOINT
 *   work  each command decides in memory on what its reads answered (a stored result with the
 *         same payload digest is replayed, with another one is a 409)
 *   RT 2  the deferred writes (one statement per kind of insert); ledger.commit_batch(every
 *         record, leg and balance move of the batch); COMMIT
 *
 * A refusal by the ledger (a balance rule, a second reversal) names its command: the transaction
 * rolls back to the savepoint and commits the others with that command's refusal outcome (its
 * DENY) instead. Any other failure rolls the batch back and runs each command again on its own,
 * where serialization failures, deadlocks and unique violations are retried.
 */
@Injectable()
export class CommandExecutor {
  private readonly logger = new Logger(CommandExecutor.name);
  private readonly statements = new PreparedStatements();
  private readonly options: EngineOptions;
  private readonly scheduler: BatchScheduler<Pending>;
  private readonly listeners: ((event: CommitEvent) => void)[] = [];
  /** So far: transactions of two or more commands, the commands in them, batches that fell back, refusals at commit. */
  readonly stats = { batches: 0, commands: 0, fallbacks: 0, refusals: 0 };

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ENGINE_OPTIONS) options?: EngineOptions,
  ) {
    this.options = options ?? DEFAULT_ENGINE_OPTIONS;
    this.scheduler = new BatchScheduler(this.options.groupCommit, (batch) => this.runBatch(batch));
  }

  static payloadHash(envelope: Pick<CommandEnvelope, 'terminalId' | 'payload'>): Buffer {
    return createHash('sha256')
      .update(canonicalJson({ terminal: envelope.terminalId ?? null, payload: envelope.payload ?? null }))
      .digest();
  }

  /** Runs a command's plan; answers its result (a replay when the same command ran before). */
  run<R, D extends Reads>(plan: CommandPlan<R, D>): Promise<CommandResult<R>> {
    validateEnvelope(plan.envelope);
    return new Promise<CommandResult<R>>((resolve, reject) => {
      const { type, id } = plan.envelope;
      const p: Pending = {
        plan: plan as unknown as CommandPlan<unknown, Reads>,
        keys: [...(plan.batchKeys ?? []), commandKey(type, id)],
        payloadHash: CommandExecutor.payloadHash(plan.envelope),
        resolve: resolve as (r: CommandResult<unknown>) => void,
        reject,
      };
      if (plan.batchKeys && this.options.groupCommit.enabled) this.scheduler.submit(p);
      else void this.runAlone(p, false);
    });
  }

  /** Listens to every committed transaction (metrics). */
  observe(listener: (event: CommitEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Commands waiting for a batch. */
  get queued(): number {
    return this.scheduler.queued;
  }

  /** The stored result of a command, if it ran. */
  async find(type: string, id: string): Promise<StoredResult | null> {
    const rows = await this.dataSource.query(
      `SELECT payload_hash, http_status, response, decision, reason_code FROM ledger.journal WHERE command_type = $1 AND command_id = $2`,
      [type, id],
    );
    const r = rows[0];
    return r ? { payloadHash: r.payload_hash, httpStatus: r.http_status, response: r.response, decision: r.decision, reasonCode: r.reason_code } : null;
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]!, false);
    let settles: Settle[];
    try {
      settles = await this.transaction(batch, false);
    } catch (error) {
      // Something in the batch failed (a conflict, a deadlock, a lost connection): each command
      // runs again on its own, and finds its result if the batch did commit.
      this.stats.fallbacks += 1;
      this.logger.debug({ err: error, size: batch.length }, 'batch failed; running its commands one at a time');
      await Promise.all(batch.map((p) => this.runAlone(p, true)));
      return;
    }
    for (const settle of settles) settle();
  }

  private async runAlone(p: Pending, fallback: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        for (const settle of await this.transaction([p], fallback)) settle();
        return;
      } catch (error) {
        const code = sqlState(error);
        if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await sleep(attempt * 5 + Math.floor(Math.random() * 10));
          continue;
        }
        p.reject(error);
        return;
      }
    }
  }

  /** One attempt at one transaction for `items`; answers what to tell each command once it is over. */
  private async transaction(items: Pending[], fallback: boolean): Promise<Settle[]> {
    const after: (() => void | Promise<void>)[] = [];
    const settles = await this.attempt(items, fallback, after);
    // Once the connection is back in the pool: caches are invalidated before anyone is answered.
    for (const hook of after) await Promise.resolve(hook()).catch((err: unknown) => this.logger.warn({ err }, 'after-commit hook failed'));
    return settles;
  }

  private async attempt(items: Pending[], fallback: boolean, after: (() => void | Promise<void>)[]): Promise<Settle[]> {
    const client = await this.pool().connect();
    let open = false;
    let broken: Error | undefined;
    // A connection that dies while checked out says so by an 'error' event: the query fails too,
    // and the connection is destroyed on release instead of going back to the pool.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const rt1 = new RoundTrip(client, this.statements);
      rt1.raw(BEGIN);
      const claim = rt1.add(claimCommandsStatement(items.map((p) => p.plan.envelope)));
      const placements = this.addReads(rt1, items);
      rt1.raw(SAVEPOINT);
      open = true;
      await rt1.send();
      const stored = storedResults(rt1.result(claim).rows);

      const settles: Settle[] = [];
      const live: Live[] = [];
      for (const [i, p] of items.entries()) {
        const found = stored.get(i);
        if (found) {
          settles.push(() => this.replay(p, found));
          continue;
        }
        const now = this.clock.now();
        const tx = new CommandTx(now, p.plan.batchKeys ? null : (s) => client.query(s.sql, [...s.params]) as Promise<any>, p.plan.envelope.type);
        // A failing decision fails the transaction (its declared reads may have changed something —
        // a 医保码 used, a seat held — that must not commit); a batch then runs each command alone.
        const outcome = await p.plan.decide(this.factsOf(rt1, placements[i]!, p), tx);
        validateOutcome(p.plan.envelope, outcome);
        live.push({ p, outcome, eventTime: p.plan.envelope.eventTime ?? now, writes: tx.takeWrites(), hooks: tx.takeAfterCommitHooks() });
      }
      if (live.length === 0) {
        await client.query('ROLLBACK');
        open = false;
        return settles;
      }

      let refusals = 0;
      for (let retry = false; ; retry = true) {
        const rt2 = new RoundTrip(client, this.statements);
        if (retry) rt2.raw(ROLLBACK_TO_SAVEPOINT);
        this.addWrites(rt2, live);
        rt2.add(commitBatchStatement(live.map((l) => this.journalInput(l))));
        rt2.raw('COMMIT');
        try {
          await rt2.send();
          open = false;
          break;
        } catch (error) {
          const refused = batchRefusalOf(error);
          if (!refused || !live[refused.index]) throw error;
          // The ledger refused one command: its change and its writes are void; the others commit
          // with its refusal outcome (a DENY) in its place.
          refusals += 1;
          const l = live[refused.index]!;
          try {
            l.outcome = { ...refusalOutcome(l.p.plan.envelope, l.outcome, refused.refusal), transfers: [] };
            validateOutcome(l.p.plan.envelope, l.outcome);
          } catch (problem) {
            live.splice(refused.index, 1);
            settles.push(() => l.p.reject(problem));
          }
          l.writes = [];
          l.hooks = [];
          if (live.length === 0) {
            await client.query('ROLLBACK');
            open = false;
            return settles;
          }
        }
      }

      if (items.length > 1) {
        this.stats.batches += 1;
        this.stats.commands += live.length;
      }
      this.stats.refusals += refusals;
      for (const listener of this.listeners) listener({ commands: live.length, refusals, fallback });
      for (const l of live) {
        after.push(...l.hooks);
        const o = l.outcome;
        settles.push(() =>
          l.p.resolve({ response: o.response, httpStatus: o.httpStatus ?? 200, decision: o.decision, reasonCode: o.reason?.code ?? null, replayed: false }),
        );
      }
      return settles;
    } catch (error) {
      if (open) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError; // never hand a connection in an unknown state back to the pool
        });
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * Every command's declared reads, level by level (a command's first read, then its second, …, so
   * its own order holds), one set-based statement per kind of read at each level.
   */
  private addReads(rt: RoundTrip, items: Pending[]): ReadPlacement[] {
    const placements = items.map(() => new Map<string, { slot: number; position: number }>());
    const lists = items.map((p) => Object.entries(p.plan.reads ?? {}));
    const levels = Math.max(0, ...lists.map((l) => l.length));
    for (let level = 0; level < levels; level++) {
      const groups = new Map<string, { members: { item: number; name: string }[]; params: (readonly unknown[])[] }>();
      lists.forEach((list, item) => {
        const entry = list[level];
        if (!entry) return;
        const [name, r] = entry;
        let g = groups.get(r.sql);
        if (!g) groups.set(r.sql, (g = { members: [], params: [] }));
        g.members.push({ item, name });
        g.params.push(r.params);
      });
      for (const [sql, g] of groups) {
        const b = batchedRead(sql);
        const slot = rt.add({ sql: b.sql, params: b.params === 0 ? [g.members.length] : columnsOf(g.params, b.params) });
        g.members.forEach((m, position) => placements[m.item]!.set(m.name, { slot, position: position + 1 }));
      }
    }
    return placements;
  }

  private readonly rowsBySlot = new WeakMap<object, Map<number, any[][]>>();

  private factsOf(rt: RoundTrip, placement: ReadPlacement, p: Pending): Record<string, unknown> {
    let bySlot = this.rowsBySlot.get(rt);
    if (!bySlot) this.rowsBySlot.set(rt, (bySlot = new Map()));
    const facts: Record<string, unknown> = {};
    for (const [name, r] of Object.entries(p.plan.reads ?? {})) {
      const at = placement.get(name)!;
      let rows = bySlot.get(at.slot);
      if (!rows) {
        rows = [];
        for (const row of rt.result(at.slot).rows) (rows[row.__i] ??= []).push(row);
        bySlot.set(at.slot, rows);
      }
      facts[name] = r.map(rows[at.position] ?? []);
    }
    return facts;
  }

  /** The commands' deferred writes, level by level; the same insert at one level is one statement for all. */
  private addWrites(rt: RoundTrip, live: Live[]): void {
    const levels = Math.max(0, ...live.map((l) => l.writes.length));
    for (let level = 0; level < levels; level++) {
      const groups = new Map<string, (readonly unknown[])[]>();
      for (const l of live) {
        const w = l.writes[level];
        if (!w) continue;
        let g = groups.get(w.sql);
        if (!g) groups.set(w.sql, (g = []));
        g.push(w.params);
      }
      for (const [sql, rows] of groups) {
        const b = batchedInsert(sql);
        if (b) rt.add({ sql: b.sql, params: columnsOf(rows, b.params) });
        else for (const params of rows) rt.add({ sql, params });
      }
    }
  }

  private journalInput(l: Live): JournalInput {
    const e = l.p.plan.envelope;
    const o = l.outcome;
    const subject = o.subject ?? null;
    const terminalId = e.terminalId ?? null;
    const details = compactDetails(o.details, { commandId: e.id, terminalId, subject, eventTime: l.eventTime });
    const response = o.response ?? null;
    return {
      type: e.type,
      id: e.id,
      context: e.context,
      terminalId,
      actor: e.actor ?? null,
      decision: o.decision,
      reasonCode: o.reason?.code ?? null,
      ruleSetId: o.ruleSet?.id ?? null,
      ruleVersion: o.ruleSet?.version ?? null,
      payloadHash: l.p.payloadHash,
      subject,
      reverses: o.reverses ?? null,
      regions: o.regions ?? [],
      eventTime: l.eventTime,
      httpStatus: o.httpStatus ?? 200,
      responseText: JSON.stringify(response),
      detailsText: details ? JSON.stringify(details) : null,
      legs: o.transfers ?? [],
    };
  }

  private replay(p: Pending, stored: StoredResult): void {
    if (!stored.payloadHash.equals(p.payloadHash)) {
      p.reject(Problems.idempotencyConflict(p.plan.envelope.id));
      return;
    }
    p.resolve({ response: stored.response, httpStatus: stored.httpStatus, decision: stored.decision, reasonCode: stored.reasonCode, replayed: true });
  }

  private pool(): pg.Pool {
    return (this.dataSource.driver as unknown as { master: pg.Pool }).master;
  }
}

/** Per parameter position, one text[] with every command's value (ADR 0012: parameters travel as text, cast by the statement). */
function columnsOf(rows: readonly (readonly unknown[])[], params: number): (string | null)[][] {
  return Array.from({ length: params }, (_, k) => rows.map((r) => textOf(r[k])));
}

function refusalOutcome<R>(envelope: CommandEnvelope, outcome: CommandOutcome<R>, refusal: LedgerRefusal | AlreadyReversed): CommandOutcome<R> {
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

/** An outcome the journal can hold: checked before anything is sent. */
function validateOutcome(envelope: CommandEnvelope, outcome: CommandOutcome<unknown>): void {
  const legs = outcome.transfers ?? [];
  validateLegs(legs);
  if (outcome.decision === 'DENY' && !outcome.reason) throw new Error(`${envelope.type}: a DENY needs a reason`);
  if (outcome.decision === 'DENY' && legs.length > 0) throw new Error(`${envelope.type}: a DENY moves no money`);
  if (outcome.decision === 'ALLOW' && outcome.reason) throw new Error(`${envelope.type}: an ALLOW has no reason code`);
  if (outcome.reason && !REASON_CODE_PATTERN.test(outcome.reason.code))
    throw new Error(`${envelope.type}: reason code "${outcome.reason.code}" is not UPPER_SNAKE`);
}

function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
