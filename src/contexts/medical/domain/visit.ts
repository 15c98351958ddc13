import type { BusinessDate, Fen, Region } from '@onecard/kernel';

/** 门诊 / 住院: the policy's deductible, ratio and cap differ by visit type. */
export const VISIT_TYPES = ['OUTPATIENT', 'INPATIENT'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

export type ItemCategory = 'A' | 'B' | 'C';
export type HospitalLevel = 1 | 2 | 3;
export type Scheme = 'EMPLOYEE' | 'RESIDENT';

/** One line of the bill as the clinic sends it. The category never comes from the terminal. */
export interface BillItem {
  code: string;
  quantity: number;
  unitPriceFen: Fen;
  /** Do the item again and charge it although a recognised recent result exists (with the doctor's reason). */
  override?: { reason: string };
}

/** The institution (the settling terminal's CLINIC venue) as the registry describes it. */
export interface Institution {
  venueId: string;
  region: Region;
  level: HospitalLevel;
  /** Community health centre (社区): some policies pay a higher outpatient ratio there. */
  community: boolean;
  /** Takes part in mutual recognition of lab and imaging results (检查检验结果互认). */
  recognition: boolean;
}

/** Whose policy applies and how. */
export interface InsuredPerson {
  homeRegion: Region;
  scheme: Scheme;
  retiree: boolean;
}

/** An earlier recognisable result of the same person, the candidate for reuse. */
export interface RecognisedResult {
  code: string;
  settlementId: string;
  institutionId: string;
  /** Asia/Shanghai date the earlier item was done. */
  performedOn: BusinessDate;
}
