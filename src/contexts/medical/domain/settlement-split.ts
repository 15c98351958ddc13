import { allocate, assertFen, mulDiv, sumFen, type Fen } from '@onecard/kernel';
import type { PricedItem } from './catalogue-pricing.rule.js';
import type { SettlementTerms } from './policy-terms.rule.js';

/** One line's share of each total. Per line: amountFen = selfPaidFen + inPolicyFen = fundFen + personalAccountFen + cashFen. */
export interface SplitItem extends PricedItem {
  /** The part of the line's in-policy amount the deductible took (act_pay_dedc). */
  deductibleFen: Fen;
  /** What the home region's fund pays (hifp_pay). */
  fundFen: Fen;
  /** What the personal account pays (acct_pay). */
  personalAccountFen: Fen;
  /** What the patient pays in cash (psn_cash_pay). */
  cashFen: Fen;
}

/** The settlement's totals, named after the national settlement fields. */
export interface SplitTotals {
  /** medfee_sumamt: everything charged. */
  totalFen: Fen;
  /** fulamt_ownpay_amt + preselfpay_amt: outside the policy. */
  selfPaidFen: Fen;
  /** inscp_scp_amt: in policy. */
  inPolicyFen: Fen;
  /** act_pay_dedc: the deductible applied. */
  deductibleFen: Fen;
  /** The fund's share before the yearly cap: (inPolicy − deductible) × ratio, rounded once. */
  fundBeforeCapFen: Fen;
  /** hifp_pay: what the fund pays. */
  fundFen: Fen;
  /** acct_pay. */
  personalAccountFen: Fen;
  /** psn_cash_pay. */
  cashFen: Fen;
  /** True when the yearly cap cut the fund's share. */
  capReached: boolean;
}

export interface SettlementSplit {
  totals: SplitTotals;
  items: SplitItem[];
}

/**
 * Splits a priced bill between the home region's fund, the personal account and cash (ADR 0009):
 *  1. inPolicy = Σ line in-policy amounts; deductible = min(inPolicy, remaining deductible);
 *  2. fund = (inPolicy − deductible) × ratio / 10000, rounded ONCE on the total by the policy's
 *     `fundShareRounding`, then min(fund, remaining cap);
 *  3. the patient's share = total − fund; the personal account pays min(share, balance) when the
 *     policy lets it and the holder agrees; cash pays the rest;
 *  4. each total is allocated to the lines by the largest-remainder method (kernel `allocate`):
 *     the deductible by in-policy amounts, the fund by in-policy amounts above the deductible, the
 *     personal account by the patients' shares. So every line and every total sums exactly and no
 *     line's part exceeds what it could bear.
 * `personalBalanceFen` is null when the personal account does not take part.
 */
export function splitSettlement(items: readonly PricedItem[], terms: SettlementTerms, personalBalanceFen: Fen | null): SettlementSplit {
  const totalFen = sumFen(items.map((i) => i.amountFen));
  const inPolicyFen = sumFen(items.map((i) => i.inPolicyFen));
  const selfPaidFen = totalFen - inPolicyFen;
  const deductibleFen = Math.min(inPolicyFen, terms.deductibleRemainingFen);
  const fundBeforeCapFen = mulDiv(inPolicyFen - deductibleFen, terms.ratioBp, 10_000, terms.rounding);
  const fundFen = terms.capRemainingFen === null ? fundBeforeCapFen : Math.min(fundBeforeCapFen, terms.capRemainingFen);
  const patientFen = totalFen - fundFen;
  const personalAccountFen = personalBalanceFen === null || !terms.personalAccountPays ? 0 : Math.min(patientFen, Math.max(0, personalBalanceFen));
  const cashFen = patientFen - personalAccountFen;

  const deductibles = spread(
    deductibleFen,
    items.map((i) => i.inPolicyFen),
  );
  const funds = spread(
    fundFen,
    items.map((i, k) => i.inPolicyFen - deductibles[k]!),
  );
  const patients = items.map((i, k) => i.amountFen - funds[k]!);
  const personals = spread(personalAccountFen, patients);
  const split: SplitItem[] = items.map((item, k) => ({
    ...item,
    deductibleFen: deductibles[k]!,
    fundFen: funds[k]!,
    personalAccountFen: personals[k]!,
    cashFen: patients[k]! - personals[k]!,
  }));
  return {
    totals: {
      totalFen,
      selfPaidFen,
      inPolicyFen,
      deductibleFen,
      fundBeforeCapFen,
      fundFen,
      personalAccountFen,
      cashFen,
      capReached: fundFen < fundBeforeCapFen,
    },
    items: split,
  };
}

/** Largest-remainder allocation that also accepts nothing to allocate (all-zero weights). */
function spread(amount: Fen, weights: readonly Fen[]): Fen[] {
  assertFen(amount);
  if (amount === 0) return weights.map(() => 0);
  return allocate(amount, weights);
}
