import { Inject, Injectable, Logger } from '@nestjs/common';
import { canonicalJson, CLOCK, Problems, sha256Hex, type Clock } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import { commandKey, type CommandEnvelope, type CommandOutcome, type CommandResult } from './command.js';
import { CommandTx } from './command-tx.js';
import { validateLegs, type LedgerRefusal } from './domain/transfer.js';

interface StoredCommand {
  payload_hash: string;
  http_status: number;
  response: unknown;
  decision: 'ALLOW' | 'DENY';
  reason_code: string | null;
}

type CommitAnswer = { ok: true; chain: number; seq: number } | ({ ok: false } & LedgerRefusal);

/** Serialization failure, deadlock, and unique violations other than the journal key: run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 5;

/**
 * Runs a command exactly once per (type, id), ADR 0003:
 *  - a stored result for the id is replayed (same status, same body) if the payload digest
 *    matches, and is a 409 if it does not;
 *  - otherwise the work runs in one transaction that ends with `ledger.commit_command`, which
 *    posts the transfers and appends the hash-chained journal record;
 *  - two racing identical commands meet on the journal's unique key: the loser rolls back and
 *    replays the winner's stored result. A retry after a lost COMMIT acknowledgement finds the
 *    stored result the same way.
 */
@Injectable()
export class CommandExecutor {
  private readonly logger = new Logger(CommandExecutor.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  static payloadHash(envelope: Pick<CommandEnvelope, 'terminalId' | 'payload'>): string {
    return sha256Hex(canonicalJson({ terminal: envelope.terminalId ?? null, payload: envelope.payload ?? null }));
  }

  async execute<R>(envelope: CommandEnvelope, work: (tx: CommandTx) => Promise<CommandOutcome<R>>): Promise<CommandResult<R>> {
    const payloadHash = CommandExecutor.payloadHash(envelope);
    const stored = await this.find(envelope.type, envelope.id);
    if (stored) return this.replay<R>(stored, payloadHash, envelope.id);

    for (let attempt = 1; ; attempt++) {
      const runner = this.dataSource.createQueryRunner();
      let transactionOpen = false;
      try {
        await runner.connect();
        await runner.startTransaction();
        transactionOpen = true;
        const tx = new CommandTx(runner, this.clock.now());
        let outcome = await work(tx);
        let answer = await this.commit(tx, envelope, payloadHash, outcome);
        if (!answer.ok) {
          // A balance rule refused the transfers: undo the context's change too, record the DENY.
          const refusal: LedgerRefusal = { code: answer.code, account: answer.account, balance: answer.balance, required: answer.required };
          if (!outcome.onLedgerRefusal) {
            throw new Error(`${envelope.type} ${envelope.id}: ledger refused ${refusal.account} (${refusal.code}) and the command has no refusal outcome`);
          }
          await runner.rollbackTransaction();
          transactionOpen = false;
          outcome = { ...outcome.onLedgerRefusal(refusal), transfers: [] };
          await runner.startTransaction();
          transactionOpen = true;
          answer = await this.commit(tx, envelope, payloadHash, outcome);
          if (!answer.ok) throw new Error('a command without transfers cannot be refused by the ledger');
        }
        await runner.commitTransaction();
        transactionOpen = false;
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
        if (transactionOpen) await runner.rollbackTransaction().catch(() => undefined);
        const code = sqlState(error);
        if (code === '23505' && constraintOf(error) === 'journal_command_key') {
          const winner = await this.find(envelope.type, envelope.id);
          if (winner) return this.replay<R>(winner, payloadHash, envelope.id);
        }
        if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await sleep(attempt * 5 + Math.floor(Math.random() * 10));
          continue;
        }
        throw error;
      } finally {
        await runner.release();
      }
    }
  }

  /** The stored result of a command, if it ran. */
  async find(type: string, id: string): Promise<StoredCommand | null> {
    const rows: StoredCommand[] = await this.dataSource.query(
      `SELECT payload_hash, http_status, response, decision, reason_code FROM ledger.journal WHERE command_type = $1 AND command_id = $2`,
      [type, id],
    );
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

  private async commit<R>(tx: CommandTx, envelope: CommandEnvelope, payloadHash: string, outcome: CommandOutcome<R>): Promise<CommitAnswer> {
    const legs = outcome.transfers ?? [];
    validateLegs(legs);
    if (outcome.decision === 'DENY' && !outcome.reason) throw new Error(`${envelope.type}: a DENY needs a reason`);
    if (outcome.decision === 'DENY' && legs.length > 0) throw new Error(`${envelope.type}: a DENY moves no money`);
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
      eventTime: (envelope.eventTime ?? tx.now).toISOString(),
      httpStatus: outcome.httpStatus ?? 200,
      details: outcome.details ?? null,
    };
    const rows = await tx.query<{ answer: CommitAnswer }>(`SELECT ledger.commit_command($1::jsonb, $2::jsonb, $3::json) AS answer`, [
      JSON.stringify(cmd),
      JSON.stringify(legs),
      JSON.stringify(outcome.response),
    ]);
    return rows[0]!.answer;
  }
}

export { commandKey };

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
