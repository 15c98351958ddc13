import type { BasisPoints, Fen, Rounding } from '@onecard/kernel';
import type { MedicalPolicyParameters } from '@onecard/rules';
import type { AnnualAccumulators } from './annual-accumulators.js';
import type { Institution, InsuredPerson, VisitType } from './visit.js';

/** The home region's policy as it applies to one settlement, given what the year has used so far. */
export interface SettlementTerms {
  visitType: VisitType;
  /** Which deductible applies: the outpatient one per year, or the inpatient one per stay. */
  deductibleRule: 'YEARLY' | 'FIRST_STAY' | 'LATER_STAY';
  /** The deductible as the policy states it for this level (and stay). */
  deductibleFen: Fen;
  /** What is left of it for this settlement (起付线 remaining). */
  deductibleRemainingFen: Fen;
  /** The share of the in-policy amount above the deductible that the fund pays. */
  ratioBp: BasisPoints;
  /** Yearly fund cap for this visit type, or null: none. */
  yearlyCapFen: Fen | null;
  /** What the fund may still pay this year for this visit type, or null: no cap. */
  capRemainingFen: Fen | null;
  /** 1 for the year's first stay, 2 for the second, …; null for outpatient care. */
  stayNumber: number | null;
  rounding: Rounding;
  /** The personal account pays the patient's share before cash (if the holder has one and agrees). */
  personalAccountPays: boolean;
}

/**
 * Reads the home region's policy (参保地政策) for the person's scheme: outpatient deductible per
 * calendar year less what the year used; inpatient deductible per stay (first stay vs later stays);
 * the ratio by institution level (a community institution's outpatient ratio where the policy has
 * one; retirees' replacements and inpatient bonus); the yearly cap for the visit type less what the
 * fund paid this year.
 */
export function settlementTerms(
  policy: MedicalPolicyParameters,
  person: InsuredPerson,
  institution: Pick<Institution, 'level' | 'community'>,
  visitType: VisitType,
  year: AnnualAccumulators,
): SettlementTerms {
  const scheme = policy.schemes[person.scheme];
  const level = String(institution.level) as '1' | '2' | '3';
  const personalAccountPays = scheme.personalAccount.available && scheme.personalAccount.paysPatientShare;
  if (visitType === 'OUTPATIENT') {
    const base = scheme.outpatient;
    const adjusted = person.retiree && base.retiree ? { ...base, ...definedOnly(base.retiree) } : base;
    const deductibleFen = adjusted.deductibleFen[level];
    const ratioBp = institution.community && adjusted.communityRatioBp !== undefined ? adjusted.communityRatioBp : adjusted.ratioBp[level];
    const cap = adjusted.yearlyCapFen;
    return {
      visitType,
      deductibleRule: 'YEARLY',
      deductibleFen,
      deductibleRemainingFen: Math.max(0, deductibleFen - year.outpatientDeductibleFen),
      ratioBp,
      yearlyCapFen: cap,
      capRemainingFen: cap === null ? null : Math.max(0, cap - year.outpatientFundFen),
      stayNumber: null,
      rounding: policy.fundShareRounding,
      personalAccountPays,
    };
  }
  const inpatient = scheme.inpatient;
  const first = year.inpatientStays === 0;
  const deductibleFen = first ? inpatient.firstStayDeductibleFen[level] : inpatient.laterStayDeductibleFen[level];
  const bonus = person.retiree ? (inpatient.retiree?.ratioBonusBp ?? 0) : 0;
  const cap = inpatient.yearlyCapFen;
  return {
    visitType,
    deductibleRule: first ? 'FIRST_STAY' : 'LATER_STAY',
    deductibleFen,
    deductibleRemainingFen: deductibleFen,
    ratioBp: Math.min(10_000, inpatient.ratioBp[level] + bonus),
    yearlyCapFen: cap,
    capRemainingFen: cap === null ? null : Math.max(0, cap - year.inpatientFundFen),
    stayNumber: year.inpatientStays + 1,
    rounding: policy.fundShareRounding,
    personalAccountPays,
  };
}

/** The retiree block replaces only the fields it gives (an absent field keeps the general value). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
