import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Region } from '@onecard/kernel';
import type { InstitutionTotals } from '../../infrastructure/medical.repository.js';

export interface InstitutionDayAnswer {
  institutionId: string;
  region: Region;
  from: BusinessDate;
  to: BusinessDate;
  /** Standing settlements only (reversed ones counted apart). */
  totals: InstitutionTotals;
}

/**
 * One institution's settlements on Asia/Shanghai days from..to (by occurredAt): the summary
 * (the rows come page by page from `MedicalReports.institutionSettlements`). `homeRegion` keeps
 * only patients insured there (a region-scoped token for another region than the institution's).
 */
export class InstitutionDayQuery extends Query<InstitutionDayAnswer> {
  constructor(
    readonly institutionId: string,
    readonly from: BusinessDate,
    readonly to: BusinessDate,
    readonly homeRegion: Region | null = null,
  ) {
    super();
  }
}
