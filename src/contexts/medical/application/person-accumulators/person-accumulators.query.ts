import { Query } from '@nestjs/cqrs';
import type { Fen, Region } from '@onecard/kernel';

export interface PersonAccumulatorsAnswer {
  cardNo: string;
  homeRegion: Region;
  scheme: 'EMPLOYEE' | 'RESIDENT';
  retiree: boolean;
  year: number;
  outpatientDeductibleFen: Fen;
  inpatientDeductibleFen: Fen;
  outpatientFundFen: Fen;
  inpatientFundFen: Fen;
  inpatientStays: number;
  /** Standing settlements counted in the year. */
  settlements: number;
  updatedAt: string | null;
}

/** A person's year-to-date accumulators (the holder of `cardNo`; all their cards count). */
export class PersonAccumulatorsQuery extends Query<PersonAccumulatorsAnswer> {
  constructor(
    readonly cardNo: string,
    readonly year?: number,
  ) {
    super();
  }
}
