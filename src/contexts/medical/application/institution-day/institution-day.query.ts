import { Query } from '@nestjs/cqrs';
import type { Fen, Region } from '@onecard/kernel';
import type { VisitType } from '../../domain/visit.js';

export interface InstitutionDayAnswer {
  institutionId: string;
  region: Region;
  date: string;
  settlements: {
    settlementId: string;
    occurredAt: string;
    terminalId: string;
    cardNo: string;
    homeRegion: Region;
    visitType: VisitType;
    totalFen: Fen;
    fundFen: Fen;
    personalAccountFen: Fen;
    cashFen: Fen;
    reversed: boolean;
  }[];
  /** Standing settlements only (reversed ones excluded). */
  totals: { settlements: number; reversed: number; totalFen: Fen; fundFen: Fen; personalAccountFen: Fen; cashFen: Fen };
}

/** Settlements of one institution on one Asia/Shanghai day (by occurredAt). */
export class InstitutionDayQuery extends Query<InstitutionDayAnswer> {
  constructor(
    readonly institutionId: string,
    readonly date: string,
  ) {
    super();
  }
}
