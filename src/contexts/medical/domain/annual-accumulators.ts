import type { Fen } from '@onecard/kernel';
import type { VisitType } from './visit.js';

/**
 * What a person has used of their home region's policy in one calendar year (Asia/Shanghai, the
 * year of the settlement's `occurredAt`): deductibles applied, what the fund paid (caps are per
 * visit type) and inpatient stays (the first stay's deductible differs from later ones').
 */
export interface AnnualAccumulators {
  outpatientDeductibleFen: Fen;
  inpatientDeductibleFen: Fen;
  outpatientFundFen: Fen;
  inpatientFundFen: Fen;
  inpatientStays: number;
}

export const NO_ACCUMULATION: AnnualAccumulators = Object.freeze({
  outpatientDeductibleFen: 0,
  inpatientDeductibleFen: 0,
  outpatientFundFen: 0,
  inpatientFundFen: 0,
  inpatientStays: 0,
});

/** What one settlement adds to the year (a reversal subtracts exactly this). */
export function accumulationOf(visitType: VisitType, split: { deductibleFen: Fen; fundFen: Fen }): AnnualAccumulators {
  return visitType === 'OUTPATIENT'
    ? { ...NO_ACCUMULATION, outpatientDeductibleFen: split.deductibleFen, outpatientFundFen: split.fundFen }
    : { ...NO_ACCUMULATION, inpatientDeductibleFen: split.deductibleFen, inpatientFundFen: split.fundFen, inpatientStays: 1 };
}

export function addAccumulations(a: AnnualAccumulators, b: AnnualAccumulators, sign: 1 | -1 = 1): AnnualAccumulators {
  return {
    outpatientDeductibleFen: a.outpatientDeductibleFen + sign * b.outpatientDeductibleFen,
    inpatientDeductibleFen: a.inpatientDeductibleFen + sign * b.inpatientDeductibleFen,
    outpatientFundFen: a.outpatientFundFen + sign * b.outpatientFundFen,
    inpatientFundFen: a.inpatientFundFen + sign * b.inpatientFundFen,
    inpatientStays: a.inpatientStays + sign * b.inpatientStays,
  };
}
