import { Injectable } from '@nestjs/common';
import type { Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { ClearingRepository, type PendingItem, type PositionRow } from '../../infrastructure/clearing.repository.js';

/** The clearing desk's reports (ADR 0016): closed statements' positions and a statement's cleared legs. */
@Injectable()
export class ClearingReports {
  constructor(private readonly repository: ClearingRepository) {}

  /** Each closed statement × region: its net position and its settlement, if confirmed. */
  positions(f: { kind: 'DAY' | 'MONTH' | null; from: string; to: string; scope: Region | null }): ReportDefinition<PositionRow> {
    return {
      name: `clearing-positions-${f.from}-${f.to}`,
      columns: [
        { key: 'statementId', value: (r) => r.statementId },
        { key: 'kind', value: (r) => r.kind },
        { key: 'period', value: (r) => r.period },
        { key: 'closedAt', value: (r) => r.closedAt },
        { key: 'region', value: (r) => r.region },
        { key: 'netFen', value: (r) => r.netFen },
        { key: 'settledFen', value: (r) => r.settledFen },
        { key: 'reference', value: (r) => r.reference },
        { key: 'paidAt', value: (r) => r.paidAt },
        { key: 'hash', value: (r) => r.hash },
      ],
      page: (after, limit) => this.repository.positionsPage({ kind: f.kind, fromDay: f.from, toDay: f.to, region: f.scope }, after, limit),
      key: (r) => [r.seq, r.region],
    };
  }

  /** The legs one closed statement cleared (a scoped token: those its region pays or receives). */
  items(statement: { seq: number; statementId: string }, scope: Region | null): ReportDefinition<PendingItem> {
    return {
      name: `clearing-items-${statement.statementId}`,
      columns: [
        { key: 'commandType', value: (r) => r.commandType },
        { key: 'commandId', value: (r) => r.commandId },
        { key: 'leg', value: (r) => r.leg },
        { key: 'line', value: (r) => r.line },
        { key: 'payer', value: (r) => r.payer },
        { key: 'payee', value: (r) => r.payee },
        { key: 'amountFen', value: (r) => r.amountFen },
        { key: 'eventDate', value: (r) => r.eventDate },
        { key: 'late', value: (r) => r.late },
        { key: 'adjustment', value: (r) => r.adjustment },
      ],
      page: (after, limit) => this.repository.itemsPage(statement.seq, scope, after, limit),
      key: (r) => [r.commandType, r.commandId, r.leg],
    };
  }
}
