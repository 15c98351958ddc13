import { z } from 'zod';
import { defineRuleKind } from '../rule-set.js';
import { basisPoints, byHospitalLevel, fen } from '../schema-helpers.js';

/**
 * `medical/policy`: the home region's insurance policy (参保地政策) per scheme — deductibles,
 * the share the fund pays above them by hospital level (basis points), yearly caps, retiree
 * adjustments, personal account use, and category-B self-paid-first share (REFERENCE.md §2).
 * One rule set per home region. The medical context owns this kind and may refine it.
 */
const levelFen = () => byHospitalLevel(fen());
const levelBp = () => byHospitalLevel(basisPoints());

const outpatient = z.strictObject({
  /** Deductible per calendar year (Asia/Shanghai) before the fund pays, by hospital level. */
  deductibleFen: levelFen(),
  ratioBp: levelBp(),
  /** What the fund pays at most per year for outpatient care; null: no cap. */
  yearlyCapFen: fen().nullable(),
  /** Retirees: replaces the fields given. */
  retiree: z
    .strictObject({
      deductibleFen: levelFen().optional(),
      ratioBp: levelBp().optional(),
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
  yearlyCapFen: fen().nullable(),
  /** Retirees: basis points added to the ratio (capped at 10000). */
  retiree: z.strictObject({ ratioBonusBp: basisPoints() }).optional(),
});

const scheme = z.strictObject({
  outpatient,
  inpatient,
  /** Employees' personal account (个人账户) pays the patient's share before cash, if the holder allows. */
  personalAccount: z.strictObject({ available: z.boolean(), paysPatientShare: z.boolean() }),
  /** Category-B items: this share of the price is self-paid first; the ratio applies to the rest. */
  categoryB: z.strictObject({ selfPaidFirstBp: basisPoints() }),
});

export const medicalPolicySchema = z.strictObject({
  schemes: z.strictObject({ EMPLOYEE: scheme, RESIDENT: scheme }),
  /** How a fund share is rounded to whole fen (the patient pays the rest, so parts always sum). */
  fundShareRounding: z.enum(['FLOOR', 'HALF_UP', 'HALF_EVEN']),
});

export type MedicalPolicyParameters = z.infer<typeof medicalPolicySchema>;

export const MedicalPolicyRules = defineRuleKind<MedicalPolicyParameters>('medical', 'policy', medicalPolicySchema);
