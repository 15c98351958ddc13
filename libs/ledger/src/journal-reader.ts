import { Injectable } from '@nestjs/common';
import type { DecisionDetails, DecisionKind } from '@onecard/kernel';
import { DataSource } from 'typeorm';
import { expandDetails } from './journal-details.js';

/** One journal record as auditors and the explain/replay endpoints read it. */
export interface JournalRecord {
  chain: number;
  seq: number;
  commandType: string;
  commandId: string;
  context: string;
  terminalId: string | null;
  actor: string | null;
  decision: DecisionKind;
  reasonCode: string | null;
  ruleSet: { id: string; version: number } | null;
  subject: string | null;
  reverses: string | null;
  regions: string[];
  /** Legs the command posted; its entries follow the record on its chain. */
  legs: number;
  eventTime: Date;
  committedAt: Date;
  httpStatus: number;
  response: unknown;
  details: DecisionDetails | null;
}

const COLUMNS = `chain, seq, command_type, command_id, context, terminal_id, actor, decision, reason_code,
  rule_set_id, rule_version, subject, reverses, regions, legs, event_time, committed_at, http_status, response, details`;

/** Read side of the command journal (simple SQL, no aggregates: STYLE.md rule 7). */
@Injectable()
export class JournalReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Records with this client command id (one per command type that used it), oldest first. */
  async findByCommandId(commandId: string, commandType?: string): Promise<JournalRecord[]> {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ledger.journal WHERE command_id = $1 AND ($2::text IS NULL OR command_type = $2) ORDER BY committed_at`,
      [commandId, commandType ?? null],
    );
    return rows.map(toJournalRecord);
  }

  async find(commandType: string, commandId: string): Promise<JournalRecord | null> {
    const rows = await this.dataSource.query(`SELECT ${COLUMNS} FROM ledger.journal WHERE command_type = $1 AND command_id = $2`, [commandType, commandId]);
    return rows[0] ? toJournalRecord(rows[0]) : null;
  }
}

/** A `ledger.journal` row (snake_case columns) as a JournalRecord (decision details in full: see `compactDetails`). */
export function toJournalRecord(r: Record<string, any>): JournalRecord {
  const eventTime = r.event_time instanceof Date ? r.event_time : new Date(r.event_time);
  return {
    chain: r.chain,
    seq: Number(r.seq),
    commandType: r.command_type,
    commandId: r.command_id,
    context: r.context,
    terminalId: r.terminal_id,
    actor: r.actor,
    decision: r.decision,
    reasonCode: r.reason_code,
    ruleSet: r.rule_set_id ? { id: r.rule_set_id, version: r.rule_version } : null,
    subject: r.subject,
    reverses: r.reverses,
    regions: r.regions ?? [],
    legs: r.legs,
    eventTime: r.event_time,
    committedAt: r.committed_at,
    httpStatus: r.http_status,
    response: r.response,
    details: expandDetails(r.details, { commandId: r.command_id, terminalId: r.terminal_id, subject: r.subject, eventTime }),
  };
}
