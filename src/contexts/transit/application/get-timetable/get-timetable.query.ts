import { Query } from '@nestjs/cqrs';
import type { BusinessDate, RuleRef } from '@onecard/kernel';

export interface TimetableView {
  date: BusinessDate;
  ruleSet: RuleRef;
  stations: { code: string; nameZh: string; namePinyin: string; km: number; region: string; inService: boolean }[];
  trains: {
    trainNo: string;
    direction: 'DOWN' | 'UP';
    pattern: string;
    calls: { station: string; arrivesAt: string | null; departsAt: string | null }[];
  }[];
}

/** The generated timetable of a business day, optionally only trains serving `from` → `to`. */
export class GetTimetableQuery extends Query<TimetableView | null> {
  constructor(
    readonly date: BusinessDate,
    readonly from: string | null,
    readonly to: string | null,
  ) {
    super();
  }
}
