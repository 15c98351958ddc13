import { REGIONS, type Fen, type Region } from '@onecard/kernel';

/** The prepayment terms of one home → treatment pair, from rule data (`clearing/prepayment`). */
export interface PrepaymentTerms {
  home: Region;
  treatment: Region;
  prepaymentFen: Fen;
  thresholdPercent: number;
}

export interface PrepaymentFacts {
  terms: PrepaymentTerms;
  /** The prepayment account's balance before this close. */
  balanceFen: Fen;
  /** The day's medical obligations home → treatment (signed: reversals can make it negative). */
  drawFen: Fen;
  /** The first close of a calendar month tops the prepayment up to its full amount. */
  firstCloseOfMonth: boolean;
  /** A top-up called earlier and not yet paid: no second call for the pair until it is. */
  openCall: boolean;
}

export interface PrepaymentMovement {
  home: Region;
  treatment: Region;
  prepaymentFen: Fen;
  thresholdFen: Fen;
  balanceBeforeFen: Fen;
  /** Paid in from the home fund at the month's first close (0 otherwise). */
  topUpFen: Fen;
  drawFen: Fen;
  balanceAfterFen: Fen;
  /** A top-up call for this amount (the balance back to the full prepayment), or null. */
  callFen: Fen | null;
}

/** The share of the prepayment under which a top-up is called, rounded down to the fen. */
export function topUpThreshold(terms: PrepaymentTerms): Fen {
  return Math.floor((terms.prepaymentFen * terms.thresholdPercent) / 100);
}

/**
 * One close's movement on one prepayment (REFERENCE.md §6): at the month's first close the home
 * fund tops it up to the full amount; the day's medical obligations are drawn from it; when the
 * balance is then under the threshold, a top-up is called for the difference to the full amount.
 * The balance may go negative: the home region then owes the treatment region beyond its prepayment.
 */
export function prepaymentMovement(f: PrepaymentFacts): PrepaymentMovement {
  const thresholdFen = topUpThreshold(f.terms);
  const topUpFen = f.firstCloseOfMonth ? Math.max(0, f.terms.prepaymentFen - f.balanceFen) : 0;
  const balanceAfterFen = f.balanceFen + topUpFen - f.drawFen;
  const below = f.terms.prepaymentFen > 0 && balanceAfterFen < thresholdFen;
  return {
    home: f.terms.home,
    treatment: f.terms.treatment,
    prepaymentFen: f.terms.prepaymentFen,
    thresholdFen,
    balanceBeforeFen: f.balanceFen,
    topUpFen,
    drawFen: f.drawFen,
    balanceAfterFen,
    callFen: below && !f.openCall ? f.terms.prepaymentFen - balanceAfterFen : null,
  };
}

/** Every ordered pair of distinct regions, home first. */
export function crossRegionPairs(): { home: Region; treatment: Region }[] {
  return REGIONS.flatMap((home) => REGIONS.filter((t) => t !== home).map((treatment) => ({ home, treatment })));
}
