import { Injectable } from '@nestjs/common';
import { formatBusinessInstant, type Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { DataSource } from 'typeorm';

export interface DenialRow {
  /** The event time as PostgreSQL wrote it (microseconds kept): the keyset position. */
  eventRaw: string;
  eventTime: string;
  committedAt: string;
  context: string;
  commandType: string;
  commandId: string;
  terminalId: string | null;
  reasonCode: string;
  ruleSetId: string | null;
  subject: string | null;
  chain: number;
  seq: number;
}

export interface RevenueRow {
  accountCode: string;
  region: Region | null;
  netFen: number;
  entries: number;
}

/**
 * The auditor's ledger reports (ADR 0016), read through the ledger's own views (`ledger.records`,
 * `ledger.postings`): refused commands with their reasons, and revenue per revenue account.
 */
@Injectable()
export class AuditReports {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * DENY decisions that happened (business event time: a simulated day's own clock) in [from, until),
   * newest first. A scoped token: those tagged with its region.
   */
  denials(f: { from: Date; until: Date; region: Region | null; context: string | null }): ReportDefinition<DenialRow> {
    const keys = ['eventTime', 'committedAt', 'context', 'commandType', 'commandId', 'terminalId', 'reasonCode', 'ruleSetId', 'subject'] as const;
    return {
      name: 'ledger-denials',
      columns: keys.map((key) => ({ key, value: (r: DenialRow) => r[key] })),
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT to_json(event_time)#>>'{}' AS event_raw, committed_at, event_time, context, command_type, command_id, terminal_id, reason_code, rule_set_id, subject, chain, seq
           FROM ledger.records
           WHERE decision = 'DENY' AND event_time >= $1 AND event_time < $2 AND ($3::text IS NULL OR $3 = ANY (regions)) AND ($4::text IS NULL OR context = $4)
             AND ($5::timestamptz IS NULL OR (event_time, chain, seq) < ($5, $6::int, $7::bigint))
           ORDER BY event_time DESC, chain DESC, seq DESC LIMIT $8`,
          [f.from, f.until, f.region, f.context, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
        );
        return rows.map((r: any) => ({
          eventRaw: r.event_raw,
          eventTime: formatBusinessInstant(new Date(r.event_time)),
          committedAt: new Date(r.committed_at).toISOString(),
          context: r.context,
          commandType: r.command_type,
          commandId: r.command_id,
          terminalId: r.terminal_id,
          reasonCode: r.reason_code,
          ruleSetId: r.rule_set_id,
          subject: r.subject,
          chain: r.chain,
          seq: Number(r.seq),
        }));
      },
      key: (r) => [r.eventRaw, r.chain, r.seq],
    };
  }

  /** Net credits to each revenue account (stations' operator, scenic spots, libraries, passes) for commands dated in [from, until). */
  revenue(f: { from: Date; until: Date; region: Region | null }): ReportDefinition<RevenueRow> {
    return {
      name: 'ledger-revenue',
      columns: [
        { key: 'accountCode', value: (r) => r.accountCode },
        { key: 'region', value: (r) => r.region },
        { key: 'netFen', value: (r) => r.netFen },
        { key: 'entries', value: (r) => r.entries },
      ],
      page: async (after, limit) => {
        const rows = await this.dataSource.query(
          `SELECT account_code, account_region, sum(amount)::bigint AS net_fen, count(*)::int AS entries
           FROM ledger.postings
           WHERE account_kind = 'REVENUE' AND event_time >= $1 AND event_time < $2 AND ($3::text IS NULL OR account_region = $3)
             AND ($4::text IS NULL OR account_code > $4)
           GROUP BY account_code, account_region ORDER BY account_code LIMIT $5`,
          [f.from, f.until, f.region, after?.[0] ?? null, limit],
        );
        return rows.map((r: any) => ({ accountCode: r.account_code, region: r.account_region, netFen: Number(r.net_fen), entries: r.entries }));
      },
      key: (r) => [r.accountCode],
    };
  }
}
