import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { basisPoints, byHospitalLevel, fen } from '../schema-helpers.js';

/**
 * `medical/policy`: the home region's insurance policy (参保地政策) per scheme — deductibles,
 * the share the fund pays above them by hospital level (basis points), yearly caps, retiree
 * adjustments and personal-account use (REFERENCE.md §2). One rule set per home region; it applies
 * wherever its insured are treated. Which items are covered, and the category-B self-paid-first
 * share, belong to the treatment region's catalogue (`medical/catalogue`). How the medical context
 * applies this: ADR 0009.
 */
const levelFen = () => byHospitalLevel(fen());
const levelBp = () => byHospitalLevel(basisPoints());

const outpatient = z.strictObject({
  /** Deductible per calendar year (Asia/Shanghai) before the fund pays; the level of the institution picks the amount. */
  deductibleFen: levelFen(),
  ratioBp: levelBp(),
  /** At a community institution (registry attribute `community`), this ratio instead of the level's. */
  communityRatioBp: basisPoints().optional(),
  /** What the fund pays at most per year for outpatient care; null: no cap. */
  yearlyCapFen: fen().nullable(),
  /** Retirees: replaces the fields given. */
  retiree: z
    .strictObject({
      deductibleFen: levelFen().optional(),
      ratioBp: levelBp().optional(),
      communityRatioBp: basisPoints().optional(),
      yearlyCapFen: fen().nullable().optional(),
    })
    .optional(),
});

const inpatient = z.strictObject({
  /** Deductible of the first stay in a calendar year, by hospital level. */
  firstStayDeductibleFen: levelFen(),
  /** Deductible of each later stay in the same year. */
  laterStayDeductibleFen: levelFen(),
  ratioBp: levelBp(),
  /** What the fund pays at most per year for inpatient care; null: no cap. */
  yearlyCapFen: fen().nullable(),
  /** Retirees: basis points added to the ratio (capped at 10000). */
  retiree: z.strictObject({ ratioBonusBp: basisPoints() }).optional(),
});

const scheme = z.strictObject({
  outpatient,
  inpatient,
  /**
   * Employees' personal account (个人账户): `available` — the scheme has one; `paysPatientShare` —
   * at settlement it pays the patient's share (up to its balance) before cash, unless the holder
   * declines at the counter.
   */
  personalAccount: z.strictObject({ available: z.boolean(), paysPatientShare: z.boolean() }),
});

export const medicalPolicySchema = z.strictObject({
  schemes: z.strictObject({ EMPLOYEE: scheme, RESIDENT: scheme }),
  /** How the fund's share of a settlement is rounded to whole fen (the patient pays the rest, so parts always sum). */
  fundShareRounding: z.enum(['FLOOR', 'HALF_UP', 'HALF_EVEN']),
});

export type MedicalPolicyParameters = z.infer<typeof medicalPolicySchema>;
export type MedicalSchemePolicy = MedicalPolicyParameters['schemes']['EMPLOYEE'];

export const MedicalPolicyRules = defineRuleKind<MedicalPolicyParameters>('medical', 'policy', medicalPolicySchema);
