import { Injectable } from '@nestjs/common';
import { formatBusinessInstant, type BusinessDate, type Region } from '@onecard/kernel';
import type { ReportDefinition } from '@onecard/platform';
import { MedicalRepository, type InstitutionDayRow } from '../infrastructure/medical.repository.js';
import type { FlowRow } from './fund-outflow/fund-outflow.query.js';

/** The medical reports as rows (ADR 0016): JSON pages and streamed CSV from one definition. */
@Injectable()
export class MedicalReports {
  constructor(private readonly repository: MedicalRepository) {}

  /** An institution's settlements, reversed ones flagged (card numbers as in JSON; no names, no national IDs). */
  institutionSettlements(f: { institutionId: string; from: BusinessDate; to: BusinessDate; homeRegion: Region | null }): ReportDefinition<InstitutionDayRow> {
    return {
      name: `medical-settlements-${f.institutionId}-${f.from}-${f.to}`,
      columns: [
        { key: 'settlementId', value: (r) => r.settlementId },
        { key: 'occurredAt', value: (r) => formatBusinessInstant(r.occurredAt) },
        { key: 'terminalId', value: (r) => r.terminalId },
        { key: 'cardNo', value: (r) => r.cardNo },
        { key: 'homeRegion', value: (r) => r.homeRegion },
        { key: 'visitType', value: (r) => r.visitType },
        { key: 'totalFen', value: (r) => r.totalFen },
        { key: 'fundFen', value: (r) => r.fundFen },
        { key: 'personalAccountFen', value: (r) => r.personalAccountFen },
        { key: 'cashFen', value: (r) => r.cashFen },
        { key: 'reversed', value: (r) => r.reversed },
      ],
      page: (after, limit) => this.repository.institutionSettlements(f, after, limit),
      key: (r) => [r.occurredAtRaw, r.settlementId],
    };
  }

  /** Settled amounts per home region × institution region (at most nine rows), reversed ones excluded. */
  outflow(f: { from: BusinessDate; to: BusinessDate; region: Region | null }): ReportDefinition<FlowRow> {
    return {
      name: `medical-fund-outflow-${f.from}-${f.to}`,
      columns: [
        { key: 'homeRegion', value: (r) => r.homeRegion },
        { key: 'institutionRegion', value: (r) => r.institutionRegion },
        { key: 'settlements', value: (r) => r.settlements },
        { key: 'totalFen', value: (r) => r.totalFen },
        { key: 'fundFen', value: (r) => r.fundFen },
        { key: 'personalAccountFen', value: (r) => r.personalAccountFen },
        { key: 'cashFen', value: (r) => r.cashFen },
      ],
      page: async (after, limit) => {
        const flows = (await this.repository.outflow(f.from, f.to)).filter((r) => !f.region || r.homeRegion === f.region || r.institutionRegion === f.region);
        const key = (r: FlowRow) => `${r.homeRegion}|${r.institutionRegion}`;
        const from = after ? `${after[0]}|${after[1]}` : '';
        return flows.filter((r) => key(r) > from).slice(0, limit);
      },
      key: (r) => [r.homeRegion, r.institutionRegion],
    };
  }
}
